/** Shared fixtures for the policy tests: the presets as text and as plain, mutable objects. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PRESET_FILES, parsePolicyText, type Policy } from '../../../src/domain/policy/index.js';

const root = new URL('../../../', import.meta.url);

export function presetText(id: string): string {
  const file = PRESET_FILES[id];
  if (!file) throw new Error(`no preset ${id}`);
  return readFileSync(new URL(file, root), 'utf8');
}

/** A preset as a plain object (as written, before defaults), to be changed by a test. */
export function presetData(id = 'kesu-default'): Record<string, any> {
  return parse(presetText(id)) as Record<string, any>;
}

/** A preset, validated. */
export function preset(id = 'kesu-default'): Policy {
  const r = parsePolicyText(presetText(id));
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.policy;
}

/** Parses an object the way the CLI would parse a JSON file. */
export function parseData(data: unknown) {
  return parsePolicyText(JSON.stringify(data, null, 2), 'json');
}

/** The paths of the problems, or [] when the document is valid. */
export function problemPaths(data: unknown): string[] {
  const r = parseData(data);
  return r.ok ? [] : r.problems.map((p) => p.path);
}

/** A policy with only the sections docs/policy.md marks as required (issue 10: optional sections are optional). */
export const MINIMAL_POLICY = `
id: minimal
version: '1'
name: { zh-CN: 最简制度 }
departments:
  - { code: service, name: { zh-CN: 客服部 } }
categories:
  - { code: other, name: { zh-CN: 其他 }, department: service }
grades:
  - { code: general, name: { zh-CN: 一般 }, limits: { resolve: 2wd } }
  - { code: major, name: { zh-CN: 重大 }, limits: { resolve: 1wd } }
`;
