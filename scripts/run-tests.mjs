#!/usr/bin/env node
// Runs every test file under test/ with Node's own test runner (Node 20 has no glob support in
// `node --test`, so we list the files here). Extra arguments filter files by substring.
//
// Files run in parallel, each in its own `node --test` process (each file has its own
// databases, ports and temporary folders). KESU_TEST_JOBS sets how many at once (default: the
// number of CPUs, at least 2); KESU_TEST_JOBS=1 runs them one after the other as before. The
// longest files start first, by the durations of the previous run (test-output/test-times.json),
// so the slowest one does not start last; browser files (test/browser/, and the bench smoke) run one at a time
// (KESU_TEST_BROWSER_JOBS), since each drives a Chromium. Each file's output is printed whole
// when it ends, then a summary with the totals and the slowest files.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}
const all = walk('test').sort();

const filters = process.argv.slice(2);
const files = all.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
    process.exit(2);
  }
  return n;
}
const jobs = Math.min(files.length, positiveInt('KESU_TEST_JOBS', Math.max(2, availableParallelism())));
const browserJobs = positiveInt('KESU_TEST_BROWSER_JOBS', 1);
// Files that load the whole machine share one slot: the browser journeys, and the HTTP bench's
// smoke (it drives a real server with up to 64 clients) — beside a browser journey it starves
// Chromium into step time-outs.
const isBrowser = (f) => f.startsWith(join('test', 'browser') + '/') || f.startsWith(join('test', 'bench') + '/');

// Longest first: the makespan is then close to the best. Files not timed yet (a fresh clone)
// go by a hint: browser files first (the console journey alone is a third of the run), then the
// ones that start many processes.
const SLOW_HINTS = [join('test', 'browser') + '/', join('test', 'cli') + '/', 'durability.test', 'crash.test'];
const TIMES = join('test-output', 'test-times.json');
let previous = {};
try {
  previous = JSON.parse(readFileSync(TIMES, 'utf8'));
} catch {
  // first run, or the file was removed
}
const expected = (f) => previous[f] ?? (isBrowser(f) ? 2e9 : SLOW_HINTS.some((h) => f.includes(h)) ? 1e9 : 1e8);
const queue = [...files].sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));

const COUNTS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];
const totals = Object.fromEntries(COUNTS.map((c) => [c, 0]));
const results = []; // { file, ms, code, signal }
const running = new Map(); // child -> file
let stopping = false;

/** The runner's own totals at the end of a file's TAP output (`# pass 12` at the line start). */
function addCounts(output) {
  const seen = {};
  for (const line of output.split('\n')) {
    const m = /^# (tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
    if (m) seen[m[1]] = Number(m[2]); // the last one wins: the summary comes last
  }
  for (const c of COUNTS) totals[c] += seen[c] ?? 0;
  return seen;
}

function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.set(child, file);
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => {
      running.delete(child);
      const ms = Date.now() - t0;
      const output = Buffer.concat(chunks).toString('utf8');
      const seen = addCounts(output);
      const ok = code === 0 && !signal && (seen.fail ?? 0) === 0;
      process.stdout.write(`\n# ── ${file} (${(ms / 1000).toFixed(1)} s) ${ok ? 'ok' : `FAILED (exit ${signal ?? code})`}\n`);
      process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
      results.push({ file, ms, ok });
      resolve();
    });
  });
}

async function worker() {
  for (;;) {
    if (stopping) return;
    const browserBusy = [...running.values()].filter(isBrowser).length >= browserJobs;
    const i = queue.findIndex((f) => !browserBusy || !isBrowser(f));
    if (i < 0) {
      if (queue.length === 0) return;
      // Only browser files are left and the browser slot is taken: wait for a file to end.
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const [file] = queue.splice(i, 1);
    await runFile(file);
  }
}

for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    stopping = true;
    for (const child of running.keys()) child.kill(sig);
  });

const start = Date.now();
console.log(`# ${files.length} test files, ${jobs} at a time (KESU_TEST_JOBS), browser files ${browserJobs} at a time`);
await Promise.all(Array.from({ length: jobs }, () => worker()));
const wall = Date.now() - start;

const failed = results.filter((r) => !r.ok);
const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8);
console.log('\n# ── summary');
for (const c of COUNTS) console.log(`# ${c} ${totals[c]}`);
console.log(`# files ${results.length}, failed ${failed.length}${stopping ? ', interrupted' : ''}`);
for (const r of failed) console.log(`#   FAILED ${r.file}`);
console.log(`# slowest: ${slowest.map((r) => `${r.file} ${(r.ms / 1000).toFixed(1)} s`).join(', ')}`);
console.log(`# duration_ms ${wall} (${jobs} at a time)`);

if (!stopping) {
  const times = { ...previous, ...Object.fromEntries(results.map((r) => [r.file, r.ms])) };
  for (const f of Object.keys(times)) if (!all.includes(f)) delete times[f]; // deleted or renamed files
  mkdirSync('test-output', { recursive: true });
  writeFileSync(TIMES, JSON.stringify(times, null, 1) + '\n');
}
process.exit(stopping || failed.length > 0 || results.length !== files.length ? 1 : 0);
