/**
 * The console's API types are generated from the server's OpenAPI document
 * (`npm run gen:client`, scripts/gen-client.ts). This regenerates them in memory and fails when
 * the committed web/src/api/generated/openapi.ts no longer matches the server — a route,
 * response schema or summary changed without regenerating. It also checks that the document
 * describes every operation's answers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GENERATED_CLIENT, GENERATED_STATE_GROUPS, generateClient, generateStateGroups, openApiDocument } from '../../scripts/gen-client.js';
import { STATE_GROUPS } from '../../src/domain/lifecycle/state-groups.js';

/** Operations left out: health and metrics endpoints (for probes and scrapers, not clients), and the single sign-on redirects a browser follows (302, no body). */
const exempt = (path: string) => path.startsWith('/api/health') || path.startsWith('/metrics') || path.startsWith('/api/v1/auth/sso/');

describe('generated console client', () => {
  it('web/src/api/generated/openapi.ts is current (else: npm run gen:client)', async () => {
    const fresh = await generateClient();
    let committed = '';
    try {
      committed = readFileSync(GENERATED_CLIENT, 'utf8');
    } catch {
      assert.fail(`${GENERATED_CLIENT} is missing: run npm run gen:client`);
    }
    if (committed === fresh) return;
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    assert.fail(`${GENERATED_CLIENT} is stale: run npm run gen:client\nfirst difference at line ${line + 1}:\n  committed: ${a[line]}\n  generated: ${b[line]}`);
  });

  it('web/src/api/generated/state-groups.ts is current and spells the domain’s groups (else: npm run gen:client)', async () => {
    assert.equal(readFileSync(GENERATED_STATE_GROUPS, 'utf8'), generateStateGroups(), `${GENERATED_STATE_GROUPS} is stale: run npm run gen:client`);
    // What the console imports is what the domain says: read the committed file's constants back.
    const mod = (await import(pathToFileURL(GENERATED_STATE_GROUPS).href)) as Record<string, readonly string[]>;
    for (const [name, states] of Object.entries(STATE_GROUPS)) assert.deepEqual(mod[name], states, name);
  });

  it('every operation documents its success answer and its error body', async () => {
    const doc = (await openApiDocument()) as unknown as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>> };
    const undocumented: string[] = [];
    const noErrors: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (!op || typeof op !== 'object' || !('responses' in op)) continue;
        const name = `${method.toUpperCase()} ${path}`;
        const responses = op.responses ?? {};
        const success = Object.entries(responses).filter(([code]) => /^2/.test(code));
        if (!success.length || success.some(([, r]) => !r.content || Object.values(r.content).some((c) => !c.schema))) {
          if (!exempt(path)) undocumented.push(name);
          continue;
        }
        const error = responses['500']?.content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (error?.$ref !== '#/components/schemas/Error') noErrors.push(name);
      }
    assert.deepEqual(undocumented, [], 'operations without a documented success answer');
    assert.deepEqual(noErrors, [], 'operations without the error body');
  });
});
