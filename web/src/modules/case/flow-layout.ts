/**
 * The flowchart's layout, derived from the lifecycle table the server serves (no copy of the
 * rules): top to bottom, the main path straight down one column, other states beside it, each
 * edge labelled with its actions. Forward edges that skip states run in lanes on the left,
 * back-edges (reroute, reject, an unsatisfied follow-up) in lanes on the right, so no edge
 * crosses a state. Actions that keep the state (extensions, notes) are listed, not drawn; an
 * action from many states to one (挂起) or from one to many (恢复处理) is one edge to the group.
 *
 * Pure (no runtime imports): test/web/flow-layout.test.ts lays out the real table in Node.
 */
import type { components } from '../../api/generated/openapi.js';

type Lifecycle = components['schemas']['Lifecycle'];
type Kind = components['schemas']['Kind'];

/** The stage bands (a presentation grouping of states; the transitions all come from the table). */
export const STAGES = ['intake', 'triage', 'handling', 'approval', 'answer', 'followup', 'closed'] as const;
export type Stage = (typeof STAGES)[number];
const STAGE_OF: Record<string, Stage> = {
  received: 'intake',
  valid: 'triage',
  invalid: 'triage',
  classified: 'triage',
  assigned: 'handling',
  investigating: 'handling',
  investigated: 'handling',
  pending: 'handling',
  awaiting_approval: 'approval',
  implementing: 'approval',
  answered: 'answer',
  followed_up: 'followup',
  closed: 'closed',
  archived: 'closed',
};

export interface FlowNode {
  state: string;
  x: number;
  y: number;
  w: number;
  h: number;
  main: boolean;
  row: number;
}
export interface FlowEdge {
  from: string;
  to: string;
  /** Action names (the console labels them in the reader's language). */
  actions: string[];
  kind: 'straight' | 'skip' | 'back' | 'side' | 'group';
  /** Polyline points. */
  points: [number, number][];
  /** Where the label goes (its left end, on the text's baseline). */
  label: [number, number];
  /** The label's text anchor. */
  anchor: 'start' | 'end';
}
export interface FlowBand {
  stage: Stage;
  y: number;
  h: number;
}
export interface FlowLayout {
  nodes: FlowNode[];
  edges: FlowEdge[];
  bands: FlowBand[];
  /** A rectangle around the states an action leaves from (or returns to) all alike. */
  groups: { x: number; y: number; w: number; h: number; states: string[] }[];
  /** Actions that keep the state, with the states they are taken in. */
  inPlace: { action: string; states: string[] }[];
  width: number;
  height: number;
  /** The states top to bottom (main path first in each row): the list form's order. */
  order: string[];
}

/**
 * Sizes in px. The skip labels get a column left of their lanes; back-edge labels sit on their
 * row right of the state, clear of the straight edges' labels (which start at the centre line
 * and may run past the state's edge in English).
 */
export const GEOMETRY = { rowH: 54, nodeW: 136, nodeH: 30, bandLabelW: 80, skipLabelW: 112, laneGap: 18, stubW: 150, backLabelAt: 48, sideGap: 40, top: 12 };

/** From (or to) this many states alike, an action is drawn once, to (or from) their group. */
const FAN = 4;

export function layoutFlow(lifecycle: Lifecycle, kind: Kind, g = GEOMETRY): FlowLayout {
  // 1. Edges between different states, per pair; in-place actions and fans aside.
  const pairs = new Map<string, { from: string; to: string; actions: string[] }>();
  const inPlace: FlowLayout['inPlace'] = [];
  const fansIn: { action: string; from: string[]; to: string }[] = [];
  const fansOut: { action: string; from: string; to: string[] }[] = [];
  const add = (from: string, to: string, action: string) => {
    const key = `${from}>${to}`;
    const p = pairs.get(key) ?? { from, to, actions: [] };
    if (!p.actions.includes(action)) p.actions.push(action);
    pairs.set(key, p);
  };
  for (const a of lifecycle.actions) {
    if (a.system || a.ownEndpoint) continue;
    const from = a.from[kind] ?? [];
    if (!from.length) continue;
    const targets = a.targets.length ? a.targets : [...from];
    // Every target is a state it is taken in: the case keeps its state (申请延期, 补充说明).
    if (targets.every((s) => from.includes(s)) && from.every((s) => targets.includes(s))) {
      inPlace.push({ action: a.name, states: [...from] });
      continue;
    }
    const moving = targets.filter((s) => !(from.length === 1 && s === from[0]));
    if (from.length >= FAN && moving.length === 1) {
      fansIn.push({ action: a.name, from: [...from], to: moving[0]! });
      continue;
    }
    if (from.length === 1 && moving.length >= FAN) {
      fansOut.push({ action: a.name, from: from[0]!, to: moving });
      continue;
    }
    for (const f of from) for (const t of targets) if (f !== t) add(f, t, a.name);
  }
  const intake = lifecycle.states.includes('received') ? 'received' : lifecycle.states[0]!;
  const used = new Set<string>([intake]);
  for (const p of pairs.values()) used.add(p.from).add(p.to);
  for (const f of fansIn) used.add(f.to);
  for (const f of fansOut) used.add(f.from);

  // 2. Back-edges: those closing a cycle in a depth-first walk from intake (in the table's order).
  const out = new Map<string, string[]>();
  for (const p of pairs.values()) out.set(p.from, [...(out.get(p.from) ?? []), p.to]);
  const back = new Set<string>();
  const onStack = new Set<string>();
  const done = new Set<string>();
  const dfs = (s: string) => {
    onStack.add(s);
    for (const t of out.get(s) ?? []) {
      if (onStack.has(t)) back.add(`${s}>${t}`);
      else if (!done.has(t)) dfs(t);
    }
    onStack.delete(s);
    done.add(s);
  };
  dfs(intake);
  for (const s of used) if (!done.has(s)) dfs(s);

  // 3. Rows: the longest forward path to each state; the main path is the longest path.
  const forward = [...pairs.values()].filter((p) => !back.has(`${p.from}>${p.to}`));
  const rank = new Map<string, number>([...used].map((s) => [s, 0]));
  for (let i = 0; i < used.size; i++) for (const p of forward) rank.set(p.to, Math.max(rank.get(p.to)!, rank.get(p.from)! + 1));
  const deepest = [...used].reduce((a, b) => (rank.get(b)! > rank.get(a)! ? b : a), intake);
  const main: string[] = [deepest];
  while (main[0] !== intake) {
    const s = main[0]!;
    const prev = forward.filter((p) => p.to === s && rank.get(p.from) === rank.get(s)! - 1).map((p) => p.from);
    if (!prev.length) break;
    main.unshift(prev[0]!);
  }
  const onMain = new Set(main);
  const row = new Map<string, number>(main.map((s, i) => [s, i]));

  // 4. Columns: main in column 0; side states beside their first neighbour on the main path;
  //    a fan's single end at the middle of its group.
  const sides = [...used].filter((s) => !onMain.has(s));
  const fanRows = (s: string) => {
    const group = [...fansIn.filter((f) => f.to === s).flatMap((f) => f.from), ...fansOut.filter((f) => f.from === s).flatMap((f) => f.to)].filter((x) => row.has(x));
    return group.length ? group.map((x) => row.get(x)!) : null;
  };
  for (const s of sides) {
    const fr = fanRows(s);
    if (fr) row.set(s, Math.round((Math.min(...fr) + Math.max(...fr)) / 2));
    else {
      const neighbours = forward.filter((p) => p.to === s && row.has(p.from)).map((p) => row.get(p.from)! + 1);
      row.set(s, neighbours.length ? Math.min(...neighbours) : rank.get(s)!);
    }
  }

  const skips = forward.filter((p) => onMain.has(p.from) && onMain.has(p.to) && row.get(p.to)! - row.get(p.from)! > 1);
  const backs = [...pairs.values()].filter((p) => back.has(`${p.from}>${p.to}`) || (!onMain.has(p.from) && !onMain.has(p.to)));
  const leftLanes = skips.length;
  const mainX = g.bandLabelW + (leftLanes ? g.skipLabelW : 0) + leftLanes * g.laneGap + 16;
  const groups: FlowLayout['groups'] = [];
  const groupPad = 6;
  const rightStart = mainX + g.nodeW + g.stubW;
  const sideStart = rightStart + backs.length * g.laneGap + g.sideGap;
  // Side states spanning overlapping rows get columns of their own.
  const sideCol = new Map<string, number>();
  const spans: [number, number][][] = [];
  for (const s of sides) {
    const rows = [row.get(s)!, ...[...pairs.values()].filter((p) => p.from === s || p.to === s).map((p) => row.get(p.from === s ? p.to : p.from)!)];
    const span: [number, number] = [Math.min(...rows), Math.max(...rows)];
    let c = 0;
    while (spans[c]?.some(([a, b]) => !(span[1] < a || span[0] > b))) c++;
    (spans[c] ??= []).push(span);
    sideCol.set(s, c);
  }
  const yOf = (r: number) => g.top + r * g.rowH;
  const nodes: FlowNode[] = [...used].map((s) => ({
    state: s,
    main: onMain.has(s),
    row: row.get(s)!,
    w: g.nodeW,
    h: g.nodeH,
    x: onMain.has(s) ? mainX : sideStart + sideCol.get(s)! * (g.nodeW + g.sideGap),
    y: yOf(row.get(s)!) + (g.rowH - g.nodeH) / 2,
  }));
  const at = new Map(nodes.map((n) => [n.state, n]));
  const cy = (n: FlowNode) => n.y + n.h / 2;
  const cx = (n: FlowNode) => n.x + n.w / 2;

  // 5. Edges.
  const edges: FlowEdge[] = [];
  for (const p of forward) {
    const a = at.get(p.from)!;
    const b = at.get(p.to)!;
    if (onMain.has(p.from) && onMain.has(p.to) && b.row - a.row === 1) {
      edges.push({
        ...p,
        kind: 'straight',
        points: [
          [cx(a), a.y + a.h],
          [cx(b), b.y],
        ],
        label: [cx(a) + 8, (a.y + a.h + b.y) / 2 + 4],
        anchor: 'start',
      });
    }
  }
  skips.forEach((p, i) => {
    const a = at.get(p.from)!;
    const b = at.get(p.to)!;
    const lane = mainX - 16 - i * g.laneGap;
    const labelX = mainX - 16 - (leftLanes - 1) * g.laneGap - 6;
    edges.push({
      ...p,
      kind: 'skip',
      points: [
        [a.x, cy(a) + 5],
        [lane, cy(a) + 5],
        [lane, cy(b) - 5],
        [b.x, cy(b) - 5],
      ],
      label: [labelX, (cy(a) + cy(b)) / 2 + 4],
      anchor: 'end',
    });
  });
  backs.forEach((p, i) => {
    const a = at.get(p.from)!;
    const b = at.get(p.to)!;
    const lane = rightStart + i * g.laneGap;
    // Out below the middle, in above it: the label sits between the two on the state's row.
    edges.push({
      ...p,
      kind: 'back',
      points: [
        [a.x + a.w, cy(a) + 9],
        [lane, cy(a) + 9],
        [lane, cy(b) - 9],
        [b.x + b.w, cy(b) - 9],
      ],
      label: [a.x + a.w + g.backLabelAt, cy(a) + 4],
      anchor: 'start',
    });
  });
  for (const p of forward) {
    if (onMain.has(p.from) && onMain.has(p.to)) continue;
    const a = at.get(p.from)!;
    const b = at.get(p.to)!;
    // To a side state: across from the main column, then down into its top.
    if (!a.main) {
      // From a side state back to the main column: down its own column, then across.
      edges.push({
        ...p,
        kind: 'side',
        points: [
          [cx(a), a.y + a.h],
          [cx(a), cy(b)],
          [b.x + b.w, cy(b)],
        ],
        label: [cx(a) + 6, a.y + a.h + 14],
        anchor: 'start',
      });
    } else {
      edges.push({
        ...p,
        kind: 'side',
        points: [
          [a.x + a.w, cy(a)],
          [cx(b), cy(a)],
          [cx(b), b.y],
        ],
        label: [cx(b) + 6, cy(a) + (b.y - cy(a)) / 2 + 4],
        anchor: 'start',
      });
    }
  }
  const groupEdge = (action: string, states: string[], single: string, into: boolean) => {
    const members = states.map((s) => at.get(s)).filter((n): n is FlowNode => !!n && n.main);
    const n = at.get(single)!;
    if (!members.length) return;
    const top = Math.min(...members.map((m) => m.y)) - groupPad;
    const bottom = Math.max(...members.map((m) => m.y + m.h)) + groupPad;
    let grp = groups.find((x) => x.states.join() === members.map((m) => m.state).join());
    if (!grp) groups.push((grp = { x: mainX - groupPad, y: top, w: g.nodeW + 2 * groupPad, h: bottom - top, states: members.map((m) => m.state) }));
    const y = cy(n) + (into ? -6 : 6);
    const gx = grp.x + grp.w;
    edges.push({
      from: into ? grp.states.join('|') : single,
      to: into ? single : grp.states.join('|'),
      actions: [action],
      kind: 'group',
      points: into
        ? [
            [gx, y],
            [n.x, y],
          ]
        : [
            [n.x, y],
            [gx, y],
          ],
      label: [n.x - 6, y + (into ? -4 : 14)],
      anchor: 'end',
    });
  };
  for (const f of fansIn) groupEdge(f.action, f.from, f.to, true);
  for (const f of fansOut) groupEdge(f.action, f.to, f.from, false);

  const rows = Math.max(...nodes.map((n) => n.row)) + 1;
  // Bands: consecutive rows of the same stage (read from the main column's states).
  const bands: FlowBand[] = [];
  for (let r = 0; r < rows; r++) {
    const s = main[r] ?? nodes.find((n) => n.row === r)?.state;
    const stage = (s ? STAGE_OF[s] : undefined) ?? bands[bands.length - 1]?.stage ?? 'intake';
    const last = bands[bands.length - 1];
    if (last && last.stage === stage) last.h += g.rowH;
    else bands.push({ stage, y: yOf(r), h: g.rowH });
  }
  const maxSide = Math.max(-1, ...[...sideCol.values()]);
  const width = Math.max(rightStart + backs.length * g.laneGap, sideStart + (maxSide + 1) * (g.nodeW + g.sideGap)) + 8;
  const order = [...nodes].sort((a, b) => a.row - b.row || Number(b.main) - Number(a.main)).map((n) => n.state);
  return { nodes, edges, bands, groups, inPlace, width, height: yOf(rows) + g.top, order };
}

export function stageOf(state: string): Stage | undefined {
  return STAGE_OF[state];
}
