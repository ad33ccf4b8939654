/**
 * Policy files: presets shipped in policies/, files given on the command line, and uploads.
 * A new version is stored beside the old ones; cases keep the version they started under.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESET_FILES, parsePolicyText, type Policy, type PolicyProblem } from '../domain/policy/index.js';
import { AppError } from '../domain/errors.js';
import { savePolicyVersion } from '../store/policy.repository.js';
import { upsertDepartment } from '../store/user.repository.js';
import type { App } from './app.js';

/** The repository root (works from src/ under tsx and from dist/ when built). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function resolvePolicyPath(idOrFile: string): string {
  const preset = PRESET_FILES[idOrFile];
  if (preset) return join(PACKAGE_ROOT, preset);
  return resolve(idOrFile);
}

export function readPolicyFile(idOrFile: string): { text: string; format: 'yaml' | 'json'; path: string } {
  const path = resolvePolicyPath(idOrFile);
  if (!existsSync(path)) throw new AppError('not_found', `policy file ${idOrFile} (looked for ${path})`);
  return { text: readFileSync(path, 'utf8'), format: path.endsWith('.json') ? 'json' : 'yaml', path };
}

export function parseOrThrow(text: string, format?: 'yaml' | 'json'): Policy {
  const r = parsePolicyText(text, format);
  if (!r.ok) throw new AppError('policy_invalid', `${r.problems.length} problem(s)`, r.problems.map(toField), { problems: r.problems });
  return r.policy;
}

function toField(p: PolicyProblem) {
  return { path: p.path || '(document)', message: { 'zh-CN': p.message['zh-CN'], 'zh-TW': p.message['zh-CN'], en: p.message.en } };
}

/** Validates, stores and activates a policy version; its departments become known departments. */
export async function activatePolicy(app: App, text: string, format?: 'yaml' | 'json'): Promise<{ key: string; created: boolean; policy: Policy }> {
  const policy = parseOrThrow(text, format);
  const at = app.now().toISOString();
  const r = await app.database.db.transaction().execute(async (trx) => {
    const saved = await savePolicyVersion(trx, policy, text, at, true);
    for (const d of policy.departments) await upsertDepartment(trx, d.code, d.name['zh-CN'], at);
    return saved;
  });
  return { ...r, policy };
}
