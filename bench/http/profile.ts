/**
 * Summarises the server's V8 CPU profile (`node --cpu-prof`, written when the server exits):
 * self time by module (a package under node_modules, or a file of Kesu) and by function.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const own = /\/(dist|src)\/(.*)$/.exec(url);
  if (own) return `kesu ${own[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(dir: string, top = 30): string[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) return [`(no .cpuprofile in ${dir}: did the server exit cleanly?)`];
  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byKesuCaller = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile;
    const nodes = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const isKesu = (n: ProfileNode) => /\/(dist|src)\//.test(n.callFrame.url) && !n.callFrame.url.includes('node_modules');
    /** The nearest Kesu function on the (synchronous) stack of a sample, if any. */
    const kesuCaller = (id: number): string => {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const n = nodes.get(cur)!;
        if (isKesu(n)) return `${n.callFrame.functionName || '(anonymous)'}  ${moduleOf(n.callFrame.url, '')}:${n.callFrame.lineNumber + 1}`;
      }
      return '(no Kesu frame on the stack: resumed after an await, or library/runtime work)';
    };
    const self = new Map<number, number>();
    p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
    for (const [id, t] of self) {
      const n = nodes.get(id)!;
      const { functionName, url, lineNumber } = n.callFrame;
      if (functionName === '(idle)') {
        idle += t;
        continue;
      }
      total += t;
      const m = moduleOf(url, functionName);
      byModule.set(m, (byModule.get(m) ?? 0) + t);
      const key = `${functionName || '(anonymous)'}  ${m}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + t);
      const caller = kesuCaller(id);
      byKesuCaller.set(caller, (byKesuCaller.get(caller) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(2).padStart(7)} s`;
  const lines = [`busy ${(total / 1000).toFixed(1)} s, idle ${(idle / 1000).toFixed(1)} s (${files.length} profile file(s) in ${dir})`, 'self time by module:'];
  for (const [m, t] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`  ${pct(t)}  ${m}`);
  lines.push('self time by function:');
  for (const [k, t] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  lines.push('time by the nearest Kesu function on the stack (self time of everything it called synchronously):');
  for (const [k, t] of [...byKesuCaller].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  lines.push(...summariseSqlTimings(dir, top));
  return lines;
}

/** The embedded engine's time per SQL text (src/store/sql-timings.ts), when the server wrote it. */
function summariseSqlTimings(dir: string, top: number): string[] {
  const file = join(dir, 'sql-timings.json');
  if (!existsSync(file)) return [];
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { sql: string; count: number; ms: number }[];
  const total = rows.reduce((s, r) => s + r.ms, 0);
  const lines = [`time in SQLite by statement (${(total / 1000).toFixed(2)} s in all):`];
  for (const r of rows.slice(0, top)) {
    const text = r.sql.replace(/\s+/g, ' ').slice(0, 150);
    lines.push(`  ${((100 * r.ms) / total).toFixed(1).padStart(5)} %  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${String(r.count).padStart(6)} ×  ${(r.ms / r.count).toFixed(3).padStart(7)} ms  ${text}`);
  }
  return lines;
}
