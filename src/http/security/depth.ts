/**
 * Nesting limits, checked by one linear scan *before* anything is parsed: a deeply nested JSON
 * body or policy document is refused with 400 naming the field at once, instead of stalling or
 * crashing the parser (the YAML parser runs out of stack, then memory, on a few thousand `[`).
 * - request bodies (`application/json`): at most MAX_BODY_DEPTH levels of objects and arrays;
 *   the error names the path where the limit was passed (`body`, `complainant.tags[0]`);
 * - policy documents (`text` of POST /api/v1/policy and /api/v1/policy/check, YAML or JSON):
 *   at most MAX_POLICY_DEPTH levels of flow collections (`[`, `{`) and of block indentation.
 */
import type { FastifyInstance } from 'fastify';
import { AppError, fieldProblem, type Messages } from '../../domain/errors.js';

export const MAX_BODY_DEPTH = 32;
export const MAX_POLICY_DEPTH = 64;

type Frame = { kind: '{' | '['; key: string | number | null };

/** Path text of the frames: `a.b[2].c`. */
function pathOf(frames: Frame[]): string {
  let out = '';
  for (const f of frames) {
    if (f.key === null) break;
    out += typeof f.key === 'number' ? `[${f.key}]` : `${out ? '.' : ''}${f.key}`;
    if (out.length > 200) return `${out}…`;
  }
  return out;
}

/** Where a JSON text nests deeper than `max` (the path of the container opened there), or null. */
export function jsonTooDeep(text: string, max: number): { path: string } | null {
  const stack: Frame[] = [];
  let inString = false;
  let escaped = false;
  let start = 0;
  let last = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 92 /* \ */) escaped = true;
      else if (c === 34 /* " */) {
        inString = false;
        last = text.slice(start, i);
      }
      continue;
    }
    switch (c) {
      case 34:
        inString = true;
        start = i + 1;
        break;
      case 58 /* : */: {
        const top = stack[stack.length - 1];
        if (top?.kind === '{') top.key = last;
        break;
      }
      case 44 /* , */: {
        const top = stack[stack.length - 1];
        if (top?.kind === '[') top.key = (top.key as number) + 1;
        break;
      }
      case 123 /* { */:
      case 91 /* [ */:
        if (stack.length >= max) return { path: pathOf(stack) || 'body' };
        stack.push({ kind: c === 123 ? '{' : '[', key: c === 91 ? 0 : null });
        break;
      case 125 /* } */:
      case 93 /* ] */:
        stack.pop();
        break;
    }
  }
  return null;
}

/**
 * How deep a YAML (or JSON) document nests, approximately and generously: flow collections
 * opened where a value may start, plus block levels by indentation and `- ` items. Returns the
 * line where `max` is passed, or null.
 */
export function yamlTooDeep(text: string, max: number): { line: number } | null {
  const indents: number[] = [];
  let flow = 0;
  let lineNo = 0;
  for (const raw of text.split('\n')) {
    lineNo++;
    let i = 0;
    while (raw[i] === ' ') i++;
    if (flow === 0) {
      if (i >= raw.length || raw[i] === '#' || raw[i] === '\r') continue;
      let dashes = 0;
      let j = i;
      while (raw[j] === '-' && (raw[j + 1] === ' ' || raw[j + 1] === undefined)) {
        dashes++;
        j += 2;
        while (raw[j] === ' ') j++;
      }
      while (indents.length && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
      if (indents.length + dashes > max) return { line: lineNo };
    }
    // Flow collections on this line, outside quotes and comments.
    let quote: string | null = null;
    let prev = ' ';
    for (let k = i; k < raw.length; k++) {
      const ch = raw[k]!;
      if (quote) {
        if (quote === '"' && ch === '\\') k++;
        else if (ch === quote) quote = null;
        continue;
      }
      if (ch === '#' && (prev === ' ' || k === i)) break;
      const valueStart = ':-,[{?'.includes(prev) || k === i;
      if ((ch === '"' || ch === "'") && valueStart) quote = ch;
      else if ((ch === '[' || ch === '{') && valueStart) {
        flow++;
        if (flow + indents.length > max) return { line: lineNo };
      } else if ((ch === ']' || ch === '}') && flow > 0) flow--;
      if (ch !== ' ' && ch !== '\t') prev = ch;
    }
  }
  return null;
}

const tooDeepText = (max: number): Messages => ({
  'zh-CN': `嵌套层级过深（最多 ${max} 层）`,
  'zh-TW': `巢狀層級過深（最多 ${max} 層）`,
  en: `nested too deeply (at most ${max} levels)`,
});

/** Refuses a policy document that nests too deeply, naming the field (`text`) and the line. */
export function assertPolicyDepth(text: string, field = 'text'): void {
  const json = /^\s*[[{]/.test(text);
  const line = json ? (jsonTooDeep(text, MAX_POLICY_DEPTH) ? lineOfDepth(text) : null) : (yamlTooDeep(text, MAX_POLICY_DEPTH)?.line ?? null);
  if (line === null) return;
  const hit = { line };
  const m = tooDeepText(MAX_POLICY_DEPTH);
  throw new AppError('invalid_input', `policy nested deeper than ${MAX_POLICY_DEPTH}`, [fieldProblem(field, `${m['zh-CN']}，第 ${hit.line} 行`, `${m.en}, line ${hit.line}`, `${m['zh-TW']}，第 ${hit.line} 行`)]);
}

function lineOfDepth(text: string): number {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_POLICY_DEPTH) return line;
    } else if (c === ']' || c === '}') depth--;
  }
  return line;
}

/** An error the error handler answers as 400 naming the field (http/error-handler.ts). */
export class BodyTooDeepError extends AppError {
  constructor(path: string, max: number) {
    const m = tooDeepText(max);
    super('invalid_input', `JSON body nested deeper than ${max} at ${path}`, [{ path, message: m }]);
  }
}

/** Replaces Fastify's JSON parser with one that checks the nesting first, then parses as before. */
export function installJsonDepthLimit(server: FastifyInstance, max = MAX_BODY_DEPTH): void {
  const parse = server.getDefaultJsonParser('error', 'ignore');
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const hit = jsonTooDeep(text, max);
    if (hit) return done(new BodyTooDeepError(hit.path, max), undefined);
    return parse(req, text, done);
  });
}
