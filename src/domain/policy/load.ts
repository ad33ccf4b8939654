/**
 * Reading a policy document: YAML or JSON text → a validated `Policy`, or every problem found.
 *
 * Three layers, each reported with a path a regulation author can act on:
 * 1. syntax (YAML or JSON) — path `line L, column C`;
 * 2. shape (the zod schema) — all issues at once, paths like `grades[2].limits.resolve`;
 * 3. cross-field rules (`check.ts`) — only when the shape is valid.
 * When the text is available, shape and rule problems also carry the line they point at.
 *
 * Pure: reading files is the caller's business (`PRESET_FILES` only names them).
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import type { core } from 'zod';
import { checkPolicy, problem, type PolicyProblem } from './check.js';
import { PolicySchema, type IssueText, type Policy } from './schema.js';
import { toTraditional } from './traditional.js';
import type { Locale } from '../errors.js';
import { isMessageKey, message } from '../messages/index.js';
import type { POLICY_MESSAGES } from '../messages/policy.js';

/** Preset id → file path relative to the repository root. */
export const PRESET_FILES: Record<string, string> = {
  'kesu-default': 'policies/kesu-default.yaml', // seed 000, customer service centre (the default)
  'property-manager': 'policies/property-manager.yaml', // 001 篇2
  'law-firm': 'policies/law-firm.yaml', // 001 篇1
  logistics: 'policies/logistics.yaml', // 001 篇3
  'tobacco-distributor': 'policies/tobacco-distributor.yaml', // 001 篇4
  'car-dealer': 'policies/car-dealer.yaml', // 001 篇5
  'quality-office': 'policies/quality-office.yaml', // 001 篇6
  distillery: 'policies/distillery.yaml', // 001 篇7
  'car-dealer-002': 'policies/car-dealer-002.yaml', // 002 篇7
};

export type PolicyResult = { ok: true; policy: Policy } | { ok: false; problems: PolicyProblem[] };

/**
 * Parses and validates a policy document. `format` defaults to JSON when the text starts with
 * `{`, YAML otherwise.
 */
export function parsePolicyText(text: string, format?: 'yaml' | 'json'): PolicyResult {
  return inTraditionalToo(readText(text, format));
}

/** Every problem also in traditional Chinese (a reader in zh-TW gets no simplified text). */
function inTraditionalToo(r: PolicyResult): PolicyResult {
  if (!r.ok) for (const p of r.problems) p.message['zh-TW'] ??= toTraditional(p.message['zh-CN']);
  return r;
}

function readText(text: string, format?: 'yaml' | 'json'): PolicyResult {
  const fmt = format ?? (text.trimStart().startsWith('{') ? 'json' : 'yaml');
  const lines = new LineCounter();
  let data: unknown;
  let doc: Document | undefined;

  if (fmt === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const offset = jsonErrorOffset(text);
      const { line, col } = lineCol(text, offset);
      const detail = e instanceof Error ? e.message : String(e);
      return {
        ok: false,
        problems: [located(`line ${line}, column ${col}`, `JSON 语法错误：${detail}`, `JSON syntax error: ${detail}`, line, col)],
      };
    }
    // JSON is YAML too: parse it again only to point problems at lines.
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) doc = undefined;
  } else {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        problems: doc.errors.map((err) => {
          const { line, col } = lines.linePos(err.pos[0]);
          const zh = YAML_ERRORS_ZH[err.code] ?? '语法错误';
          return located(`line ${line}, column ${col}`, `YAML ${zh}：${err.message}`, `YAML syntax error: ${err.message}`, line, col);
        }),
      };
    }
    try {
      data = doc.toJS();
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      return { ok: false, problems: [problem('', `YAML 无法读取：${detail}`, `YAML could not be read: ${detail}`)] };
    }
  }

  const locate = doc ? (path: readonly PropertyKey[]) => lineOf(doc, lines, path) : undefined;
  return validatePolicy(data, locate);
}

/**
 * Validates an already parsed value (e.g. a policy stored as JSON in the database). `locate`
 * maps a path to a source line, when there is a source.
 */
export function validatePolicy(data: unknown, locate?: (path: readonly PropertyKey[]) => number | undefined): PolicyResult {
  return inTraditionalToo(validateData(data, locate));
}

function validateData(data: unknown, locate?: (path: readonly PropertyKey[]) => number | undefined): PolicyResult {
  const parsed = PolicySchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: placed(parsed.error.issues.flatMap(issueProblems), locate) };
  // An absent defaultGrade is the first (least severe) grade; the schema guarantees one grade.
  const policy: Policy = { ...parsed.data, defaultGrade: parsed.data.defaultGrade ?? parsed.data.grades[0]!.code };
  const problems = checkPolicy(policy);
  if (problems.length > 0) return { ok: false, problems: placed(problems, locate) };
  return { ok: true, policy };
}

/** Adds source lines and puts located problems in the order of the document. */
function placed(problems: PolicyProblem[], locate?: (path: readonly PropertyKey[]) => number | undefined): PolicyProblem[] {
  if (!locate) return problems;
  for (const pr of problems) {
    const line = locate(pathSegments(pr.path));
    if (line !== undefined) pr.line = line;
  }
  return problems
    .map((pr, i) => ({ pr, i }))
    .sort((a, b) => (a.pr.line ?? Infinity) - (b.pr.line ?? Infinity) || a.i - b.i)
    .map((x) => x.pr);
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/** `['grades', 2, 'limits', 'resolve']` → `grades[2].limits.resolve`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** The inverse of `formatPath` (paths that are not data paths, such as `line 3, column 1`, give []). */
function pathSegments(path: string): PropertyKey[] {
  if (path.startsWith('line ')) return [];
  const out: PropertyKey[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/** The line of the deepest YAML node found along `path`. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined = rangeStart(node);
  for (const seg of path) {
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((it) => scalarValue(it.key) === seg);
      if (pair) {
        next = pair.value;
        keyOffset = rangeStart(pair.key);
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg];
    }
    if (next === undefined && keyOffset === undefined) break;
    node = next;
    offset = keyOffset ?? rangeStart(next) ?? offset;
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: unknown }).range;
    if (Array.isArray(range) && typeof range[0] === 'number') return range[0];
  }
  return undefined;
}

function scalarValue(node: unknown): unknown {
  if (node && typeof node === 'object' && 'value' in node) return (node as { value: unknown }).value;
  return node;
}

// ---------------------------------------------------------------------------------------------
// zod issues → problems
// ---------------------------------------------------------------------------------------------

type PolicyKey = keyof typeof POLICY_MESSAGES;
type Vars = Record<string, string | number>;

/** A shape problem in the three languages, from the catalogue (`vars` may differ per language: type names, lists). */
function said(path: string, key: PolicyKey, vars: Vars | ((l: Locale) => Vars) = {}): PolicyProblem {
  const text = (l: Locale) => message(`policy.${key}`, l, typeof vars === 'function' ? vars(l) : vars);
  return { path, message: { 'zh-CN': text('zh-CN'), 'zh-TW': text('zh-TW'), en: text('en') } };
}

/** A zod type name (`string`, `array` …) for a reader of `l`. */
function typeName(t: string, l: Locale): string {
  const key = `policy.type.${t}`;
  return isMessageKey(key) ? message(key, l) : t;
}

function typeOfInput(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function issueProblems(issue: core.$ZodIssue): PolicyProblem[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = (l: Locale) => typeName(issue.expected, l);
      if (issue.path.length === 0 && (issue.input === undefined || issue.input === null)) return [said(path, 'empty_document')];
      if (issue.input === undefined) return [said(path, 'missing_field', (l) => ({ expected: expected(l) }))];
      if (issue.path.length === 0) return [said(path, 'not_an_object')];
      const got = typeOfInput(issue.input);
      const types = (l: Locale) => ({ expected: expected(l), found: typeName(got, l), value: String(issue.input) });
      if (issue.expected === 'string' && (got === 'number' || got === 'boolean')) return [said(path, 'quote_it', types)];
      return [said(path, 'expected_found', types)];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const p = formatPath([...issue.path, key]);
        const near = suggest(key, knownKeys(issue.path));
        return near ? said(p, 'unknown_field_near', { key, near }) : said(p, 'unknown_field', { key });
      });
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return [said(path, min === 1 ? 'min_item' : 'min_items', { min })];
      if (issue.origin === 'string') return [min <= 1 ? said(path, 'not_empty') : said(path, 'min_chars', { min })];
      return [said(path, issue.inclusive ? 'at_least' : 'greater_than', { min })];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array') return [said(path, 'max_items', { max })];
      if (issue.origin === 'string') return [said(path, 'max_chars', { max })];
      return [said(path, issue.inclusive ? 'at_most' : 'less_than', { max })];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      return [said(path, 'one_of', (l) => ({ values: values.join(l === 'en' ? ', ' : '、') }))];
    }
    case 'custom': {
      const t = issue.params as Partial<IssueText> | undefined;
      if (t?.['zh-CN'] && t.en) return [problem(path, t['zh-CN'], t.en)];
      return [said(path, 'invalid', { message: issue.message })];
    }
    default:
      return [said(path, 'invalid', { message: issue.message })];
  }
}

/** The field names the schema allows at `path` (for "did you mean"). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let s: ZodView | undefined = PolicySchema as unknown as ZodView;
  const unwrap = (x: ZodView | undefined): ZodView | undefined => {
    let cur = x;
    for (let i = 0; i < 10 && cur; i++) {
      const d = cur._zod.def;
      if (d.innerType) cur = d.innerType;
      else if (d.type === 'pipe' && d.in) cur = d.in;
      else break;
    }
    return cur;
  };
  for (const seg of path) {
    s = unwrap(s);
    if (!s) return [];
    const d = s._zod.def;
    if (d.type === 'object' && d.shape && typeof seg === 'string') s = d.shape[seg];
    else if (d.type === 'array' && typeof seg === 'number') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return [];
  }
  s = unwrap(s);
  const shape = s?._zod.def.shape;
  return shape ? Object.keys(shape) : [];
}

interface ZodView {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, ZodView>;
      element?: ZodView;
      innerType?: ZodView;
      in?: ZodView;
      valueType?: ZodView;
    };
  };
}

/** The known key closest to `key`, if it is close enough to be a likely typo. */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = key.toLowerCase();
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Syntax errors
// ---------------------------------------------------------------------------------------------

const YAML_ERRORS_ZH: Record<string, string> = {
  DUPLICATE_KEY: '键重复',
  BAD_INDENT: '缩进错误',
  MULTILINE_IMPLICIT_KEY: '键不能跨行（是否缺少冒号或缩进有误？）',
  MULTIPLE_DOCS: '文件中包含多个文档',
  MISSING_CHAR: '缺少字符',
  UNEXPECTED_TOKEN: '意外的符号',
  BLOCK_AS_IMPLICIT_KEY: '块结构不能作为键',
  TAB_AS_INDENT: '不能用 Tab 缩进',
  BAD_SCALAR_START: '值的开头无效',
  BAD_ALIAS: '别名无效',
  BAD_DIRECTIVE: '指令无效',
  ALIAS_PROPS: '别名不能带属性',
  KEY_OVER_1024_CHARS: '键过长',
  IMPOSSIBLE: '无法解析',
};

function located(path: string, zh: string, en: string, line: number, column: number): PolicyProblem {
  return { ...problem(path, zh, en), line, column };
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  return { line, col: offset - start + 1 };
}

/**
 * Offset of the first JSON syntax error (Node's `JSON.parse` does not always say where). Only
 * called after `JSON.parse` failed.
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const expect = (s: string) => {
    if (text.startsWith(s, i)) i += s.length;
    else fail();
  };
  const str = () => {
    expect('"');
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        const e = text.charAt(i);
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
        } else if ('"\\/bfnrt'.includes(e) && e !== '') i++;
        else fail();
      } else if (c < ' ') fail();
      else i++;
    }
    fail();
  };
  const num = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    else i += m[0].length;
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        expect(':');
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else if (c === '-' || (c >= '0' && c <= '9')) num();
    else if (c === 't') expect('true');
    else if (c === 'f') expect('false');
    else if (c === 'n') expect('null');
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (e) {
    if (e instanceof JsonStop) return e.offset;
    throw e;
  }
  return text.length;
}

class JsonStop {
  constructor(readonly offset: number) {}
}
