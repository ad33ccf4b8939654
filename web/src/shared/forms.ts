/**
 * Server field errors onto an Ant Design form: `complainant.phone` → the field
 * ['complainant','phone']; a path no field shows (or an error without a path) is returned so the
 * form can show it in its banner.
 */
import type { FormInstance } from 'antd';
import { ApiError, type FieldError } from '../api/client';

export type NamePath = (string | number)[];

function toNamePath(path: string): NamePath {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * Shows each error under its field. `fields` are the name paths the form has; an error on a
 * deeper path (`coHandlerIds[0]`) goes to the closest field above it; `aliases` maps server paths
 * to other fields (`description` → the "what" field of 5W1H).
 */
export function applyServerErrors(form: FormInstance, err: unknown, fields: NamePath[], aliases: Record<string, NamePath> = {}): FieldError[] {
  if (!(err instanceof ApiError)) return [{ path: '', message: String((err as Error)?.message ?? err) }];
  const known = new Map(fields.map((f) => [f.join('.'), f]));
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const rest: FieldError[] = [];
  for (const f of err.fields) {
    let name: NamePath | undefined = aliases[f.path];
    if (!name) {
      const parts = toNamePath(f.path);
      for (let n = parts.length; n > 0 && !name; n--) name = known.get(parts.slice(0, n).join('.'));
    }
    if (!name) {
      rest.push(f);
      continue;
    }
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(f.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()].map((e) => ({ name: e.name, errors: e.errors })));
  if (!err.fields.length) rest.push({ path: '', message: err.message });
  return rest;
}

/** Drops empty strings, undefined and empty objects, so optional fields left blank are not sent. */
export function clean<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const c = clean(x);
      if (c === undefined || c === null || c === '') continue;
      if (typeof c === 'object' && !Array.isArray(c) && Object.keys(c as object).length === 0) continue;
      out[k] = c;
    }
    return out as T;
  }
  if (typeof v === 'string') return (v.trim() === '' ? undefined : v) as T;
  return v;
}
