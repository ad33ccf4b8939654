/**
 * A small load driver for the HTTP bench: keep-alive requests over node:http (lighter on the
 * shared CPU than fetch), N concurrent clients looping until a deadline or an operation budget,
 * and latency percentiles. No dependencies.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export class HttpClient {
  private readonly agent: Agent;
  constructor(
    readonly base: URL,
    maxSockets = 256,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  send(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(payload.length);
    }
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: this.base.hostname, port: this.base.port, path, method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: no answer in 120 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends and insists on one of the expected statuses; returns the parsed JSON body. */
  async json<T = any>(method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string>; expect?: number[] } = {}): Promise<T> {
    const r = await this.send(method, path, opts);
    if (!(opts.expect ?? [200, 201]).includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    return JSON.parse(r.text) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface Stats {
  clients: number;
  ok: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  /** Successful operations per second over the wall time of the phase. */
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Per kind of request, when the operation names one (e.g. each queue of the queue-page mix). */
  byTag?: Record<string, { ok: number; p50: number; p95: number; p99: number }>;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarise(clients: number, latencies: number[], errors: number, firstError: string | null, seconds: number): Stats {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    clients,
    ok: s.length,
    errors,
    firstError,
    seconds,
    perSecond: s.length / seconds,
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1]! : NaN,
  };
}

/**
 * Runs `op` from `clients` concurrent loops until `seconds` have passed or `maxOps` operations
 * were started (whichever comes first); operations in flight at the deadline are awaited and
 * counted. `op` throws on a wrong answer (counted as an error, the loop goes on).
 */
export async function drive(opts: { clients: number; seconds: number; maxOps?: number; op: (client: number, n: number) => Promise<string | void>; stop?: () => boolean }): Promise<Stats> {
  const latencies: number[] = [];
  const tagged = new Map<string, number[]>();
  let errors = 0;
  let firstError: string | null = null;
  let started = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  const loop = async (client: number) => {
    while (performance.now() < deadline && (opts.maxOps === undefined || started < opts.maxOps) && !opts.stop?.()) {
      const n = started++;
      const t = performance.now();
      try {
        const tag = await opts.op(client, n);
        const ms = performance.now() - t;
        latencies.push(ms);
        if (tag) {
          let xs = tagged.get(tag);
          if (!xs) tagged.set(tag, (xs = []));
          xs.push(ms);
        }
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => loop(i)));
  const stats = summarise(opts.clients, latencies, errors, firstError, (performance.now() - t0) / 1000);
  if (tagged.size)
    stats.byTag = Object.fromEntries(
      [...tagged].map(([tag, xs]) => {
        const s = xs.sort((a, b) => a - b);
        return [tag, { ok: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) }];
      }),
    );
  return stats;
}
