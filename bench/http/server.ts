/**
 * Kesu as `npm start` runs it, for the HTTP bench: `node dist/cli/kesu.js serve` (built first
 * when dist is missing or older than src) or `tsx src/cli/kesu.ts serve`, on a fresh data dir
 * or a throwaway PostgreSQL database, with the sweeper and the dispatcher at their defaults, an
 * in-process SMTP sink and a local HTTP SMS gateway. Also: free ports, RSS from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, rmSync, statSync, writeSync, fdatasyncSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PG_ADMIN_URL, postgresAnswers, scratchDatabase } from '../../scripts/lib/pg-scratch.js';

export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
export { PG_ADMIN_URL };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Counts what Kesu delivers: e-mail over SMTP and SMS over the generic HTTP gateway (in a worker thread: sinks-worker.mjs). */
export class Sinks {
  mails = 0;
  sms = 0;
  private constructor(
    private readonly worker: Worker,
    readonly smtpPort: number,
    readonly smsPort: number,
  ) {
    worker.on('message', (m: { kind: string; mails?: number; sms?: number }) => {
      if (m.kind === 'counts') ((this.mails = m.mails!), (this.sms = m.sms!));
    });
  }

  static async start(): Promise<Sinks> {
    const worker = new Worker(new URL('./sinks-worker.mjs', import.meta.url));
    const ready = await new Promise<{ smtpPort: number; smsPort: number }>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (m: { kind: string; smtpPort: number; smsPort: number }) => m.kind === 'ready' && resolve(m));
    });
    return new Sinks(worker, ready.smtpPort, ready.smsPort);
  }

  private closing: Promise<void> | null = null;

  /** Stops both sinks; a second call (the bench's clean-up after its own) waits for the first. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((resolve) => this.worker.on('message', (m: { kind: string }) => m.kind === 'closed' && resolve()));
      this.worker.postMessage({ kind: 'close' });
      await closed;
      await this.worker.terminate();
    })();
    return this.closing;
  }
}

/** Resident set size of a process in MiB (VmRSS), and its peak (VmHWM). */
export function rssOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const CLK_TCK = 100;

/**
 * CPU time a process has used so far (user + system, ms, from /proc/<pid>/stat): the whole
 * process (every thread: the libuv pool's hashing, worker threads) and its main thread alone
 * (/proc/<pid>/task/<pid>/stat, the event loop every request waits for). Load-robust: a loaded
 * machine stretches wall time, not the CPU a request costs. 10 ms resolution.
 */
export function cpuOf(pid: number): { processMs: number; mainMs: number } {
  const ticks = (file: string) => {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name (which may contain spaces), counted from field 3 (state).
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]); // utime (14), stime (15)
  };
  return { processMs: (ticks(`/proc/${pid}/stat`) * 1000) / CLK_TCK, mainMs: (ticks(`/proc/${pid}/task/${pid}/stat`) * 1000) / CLK_TCK };
}

/** Latency of a 4 KiB write + fdatasync on the disk the databases use (what one durable commit waits for at least). */
export function fsyncLatency(n = 200): { p50: number; p95: number } {
  const dir = mkdtempSync(join(tmpdir(), 'kesu-bench-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const xs: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      writeSync(fd, block, 0, block.length, (i % 64) * 4096);
      fdatasyncSync(fd);
      xs.push(performance.now() - t);
    }
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
  xs.sort((a, b) => a - b);
  return { p50: xs[Math.floor(n * 0.5)]!, p95: xs[Math.floor(n * 0.95)]! };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return newest;
}

/** Compiles the server (not the web console: the bench uses only the API) when dist is missing or older than src. */
export function ensureBuilt(log: (s: string) => void): void {
  const entry = join(ROOT, 'dist', 'cli', 'kesu.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(ROOT, 'src'))) return;
  log('building the server (tsc -p tsconfig.json) …');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('tsc failed');
}

export type Engine = 'sqlite' | 'postgres';

/** Whether the benchmark's PostgreSQL answers (the same probe as the tests'). */
export const postgresAvailable = (): Promise<boolean> => postgresAnswers(PG_ADMIN_URL);

/** A fresh place for data: a temp folder (SQLite, and attachments/secret on both) and, on PostgreSQL, a throwaway database. */
export interface Place {
  engine: Engine;
  dataDir: string;
  databaseUrl?: string;
  drop(): Promise<void>;
}

export async function freshPlace(engine: Engine, label: string): Promise<Place> {
  const dataDir = mkdtempSync(join(tmpdir(), `kesu-bench-${label}-`));
  if (engine === 'sqlite') return { engine, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const scratch = await scratchDatabase(`kesu_bench_${label}`);
  return {
    engine,
    dataDir,
    databaseUrl: scratch.url,
    drop: async () => {
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunningKesu {
  pid: number;
  base: URL;
  logFile: string;
  stop(): Promise<number | null>;
}

export async function startKesu(opts: { place: Place; sinks: Sinks; mode: 'dist' | 'tsx'; logFile: string; cpuProfDir?: string; graceSeconds?: number; serverEnv?: Record<string, string>; log: (s: string) => void }): Promise<RunningKesu> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k === 'DATABASE_URL' || k.startsWith('KESU_') || k === 'PORT' || k === 'HOST' || k === 'LOG_LEVEL') delete env[k];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    KESU_DATA_DIR: opts.place.dataDir,
    KESU_SMTP_URL: `smtp://127.0.0.1:${opts.sinks.smtpPort}`,
    KESU_SMS_PROVIDER: 'http',
    KESU_SMS_URL: `http://127.0.0.1:${opts.sinks.smsPort}/sms?to={to}`,
    NODE_ENV: 'production',
  });
  if (opts.place.databaseUrl) env.DATABASE_URL = opts.place.databaseUrl;
  // What the bench was asked to vary (--server-env), after the clean slate above.
  Object.assign(env, opts.serverEnv ?? {});
  // With a profile, the embedded engine also writes its time per SQL text (src/store/sql-timings.ts).
  if (opts.cpuProfDir) env.KESU_SQL_TIMINGS = join(opts.cpuProfDir, 'sql-timings.json');
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const args = opts.mode === 'dist' ? [...nodeArgs, join(ROOT, 'dist', 'cli', 'kesu.js'), 'serve'] : [...nodeArgs, '--import', 'tsx', join(ROOT, 'src', 'cli', 'kesu.ts'), 'serve'];
  const fd = openSync(opts.logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exited = code))));
  const base = new URL(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`Kesu exited (${exited}) before answering; see ${opts.logFile}:\n${readFileSync(opts.logFile, 'utf8').slice(-2000)}`);
    try {
      const r = await fetch(new URL('/api/health', base));
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Kesu did not answer /api/health within 60 s; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    base,
    logFile: opts.logFile,
    stop: async () => {
      if (exited !== undefined) return exited;
      child.kill('SIGTERM');
      // Writing a CPU profile at exit can take a while on a busy machine.
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.cpuProfDir ? 300_000 : (opts.graceSeconds ?? 20) * 1000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}
