/**
 * A policy draft as plain data: reading and writing a field by its path, the path text the
 * server's checker uses (`grades[0].limits.resolve`), and the field-by-field difference between
 * two documents for the review step. No policy rule lives here: whether a draft is valid is
 * always the server's answer (POST /api/v1/policy/check, the same reader as `kesu policy check`).
 */

export type Path = readonly (string | number)[];
export type Doc = Record<string, unknown>;

/** `['grades', 0, 'limits', 'resolve']` → `grades[0].limits.resolve` (as src/domain/policy/load.ts writes it). */
export function pathText(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

export function getIn(doc: unknown, path: Path): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/**
 * A copy of `doc` with the value at `path` replaced; `undefined` removes the field (an optional
 * field left empty is left out, never sent as null). Missing objects on the way are created.
 */
export function setIn<T>(doc: T, path: Path, value: unknown): T {
  if (path.length === 0) return value as T;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const base: unknown = doc ?? (typeof head === 'number' ? [] : {});
  if (Array.isArray(base)) {
    const copy = [...base];
    copy[head as number] = setIn(copy[head as number], rest, value);
    return copy as T;
  }
  const copy = { ...(base as Record<string, unknown>) };
  const next = setIn(copy[head], rest, value);
  if (next === undefined) delete copy[head];
  else copy[head] = next;
  return copy as T;
}

/** A copy with the list at `path` changed by `change` (add, remove). */
export function updateList<T>(doc: T, path: Path, change: (list: unknown[]) => unknown[]): T {
  const list = getIn(doc, path);
  return setIn(doc, path, change(Array.isArray(list) ? [...list] : []));
}

/** One field that differs between the active version and the draft. */
export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Every leaf that differs, by path: objects key by key, lists item by item (an item added or
 * removed at the end shows as a whole). A list of plain values (methods, grades of a rule)
 * counts as one field.
 */
export function diff(before: unknown, after: unknown, path: (string | number)[] = []): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => diff(before[k], after[k], [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && [...before, ...after].some((x) => x !== null && typeof x === 'object')) {
    const n = Math.max(before.length, after.length);
    return Array.from({ length: n }, (_, i) => diff(before[i], after[i], [...path, i])).flat();
  }
  return [{ path: pathText(path), before, after }];
}

/** The problems whose path is `path` itself (shown under that field). */
export function problemsAt<P extends { path: string }>(problems: readonly P[], path: Path): P[] {
  const p = pathText(path);
  return problems.filter((x) => x.path === p);
}

/**
 * A version label not yet used: `2026.1` → `2026.1-ed1`, `2026.1-ed1` → `2026.1-ed2`, skipping
 * labels already stored (the server refuses a used one either way).
 */
export function nextLabel(version: string, used: readonly string[]): string {
  const m = /^(.*)-ed(\d+)$/.exec(version);
  const base = m ? m[1]! : version;
  for (let n = m ? Number(m[2]) + 1 : 1; ; n++) if (!used.includes(`${base}-ed${n}`)) return `${base}-ed${n}`;
}
