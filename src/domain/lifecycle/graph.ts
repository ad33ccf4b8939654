/**
 * The lifecycle table read as a graph: edges per kind of case, reachability, and the Mermaid
 * flowchart and Markdown tables of docs/lifecycle.md (generated, so the doc cannot drift).
 */
import type { ComplaintKind, State } from '../complaint/types.js';
import { ACTIONS, ACTION_NAMES, INTAKE, SYSTEM_ACTIONS, type ActionName } from './machine.js';

export interface Edge {
  from: State;
  to: State;
  action: ActionName;
}

export const KINDS: ComplaintKind[] = ['complaint', 'inquiry', 'suggestion'];
/** Terminal states: archived for every case; closed counts too for invalid complaints. */
export const FINAL: State = 'archived';

export function edges(kind: ComplaintKind, opts: { includeSystem?: boolean } = {}): Edge[] {
  const out: Edge[] = [];
  for (const action of ACTION_NAMES) {
    if (!opts.includeSystem && SYSTEM_ACTIONS.includes(action)) continue;
    const a = ACTIONS[action];
    for (const from of a.from[kind] ?? []) {
      const targets = a.targets.length ? a.targets : [from];
      for (const to of targets) out.push({ from, to, action });
    }
  }
  return out;
}

/** States reachable from `received` for this kind. */
export function reachable(kind: ComplaintKind): Set<State> {
  const es = edges(kind);
  const seen = new Set<State>([INTAKE.to]);
  const queue: State[] = [INTAKE.to];
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of es) if (e.from === s && !seen.has(e.to)) (seen.add(e.to), queue.push(e.to));
  }
  return seen;
}

/** States from which `target` can be reached. */
export function canReach(kind: ComplaintKind, target: State): Set<State> {
  const es = edges(kind);
  const seen = new Set<State>([target]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of es) if (seen.has(e.to) && !seen.has(e.from)) (seen.add(e.from), (grew = true));
  }
  return seen;
}

function mermaid(kind: ComplaintKind): string {
  const lines = ['```mermaid', 'flowchart TD', `  start((${INTAKE.label['zh-CN']})) --> received`];
  const seen = new Set<string>();
  for (const e of edges(kind)) {
    if (e.from === e.to) continue;
    const key = `${e.from}->${e.to}:${e.action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`  ${e.from} -->|${ACTIONS[e.action].label['zh-CN']} ${e.action}| ${e.to}`);
  }
  lines.push('```');
  return lines.join('\n');
}

export function lifecycleMarkdown(): string {
  const out: string[] = [
    '# The complaint lifecycle',
    '',
    '<!-- Generated from src/domain/lifecycle/machine.ts by `npm run docs:lifecycle`; a test fails when it is out of date. Do not edit by hand. -->',
    '',
    'Every state change of a case is one of these actions, applied by the pure function `apply` and persisted with its event, clocks and outbox messages in one transaction. "Who" names a role or a relation to the case (see `Who` in machine.ts). Self-loops (the case keeps its state) are listed in the table but left out of the charts.',
    '',
  ];
  for (const kind of KINDS) {
    out.push(`## ${kind}`, '', mermaid(kind), '');
  }
  out.push('## Actions', '', '| action | 中文 | kinds: from states | to | who |', '|---|---|---|---|---|');
  for (const name of ACTION_NAMES) {
    const a = ACTIONS[name];
    const from = KINDS.filter((k) => a.from[k])
      .map((k) => `${k}: ${a.from[k]!.join(', ')}`)
      .join('<br>');
    const to = a.targets.length ? a.targets.join(', ') : '(same state)';
    out.push(`| \`${name}\`${SYSTEM_ACTIONS.includes(name) ? ' (system)' : ''} | ${a.label['zh-CN']} | ${from} | ${to} | ${a.who.join(', ')} |`);
  }
  out.push('');
  return out.join('\n');
}
