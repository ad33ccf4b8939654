/**
 * Heartbeats of the background jobs (deadline sweeper, outbox dispatcher), for readiness: a job
 * that has not finished a pass for three periods (and at least a minute) is stuck — a hung
 * query, a lost lock — and the instance should not be reported ready.
 */
export interface JobBeat {
  name: string;
  intervalMs: number;
  startedAt: number;
  lastBeat: number | null;
}

export interface StaleJob {
  name: string;
  lastBeat: string | null;
  ageMs: number;
  limitMs: number;
}

export class Heartbeats {
  private readonly jobs = new Map<string, JobBeat>();

  constructor(private readonly now: () => Date) {}

  /** A job starts running every `intervalMs`. */
  register(name: string, intervalMs: number): void {
    this.jobs.set(name, { name, intervalMs, startedAt: this.now().getTime(), lastBeat: null });
  }

  unregister(name: string): void {
    this.jobs.delete(name);
  }

  /** A pass of the job finished (with or without an error: an error is logged, the job is alive). */
  beat(name: string): void {
    const j = this.jobs.get(name);
    if (j) j.lastBeat = this.now().getTime();
  }

  names(): string[] {
    return [...this.jobs.keys()];
  }

  stale(): StaleJob[] {
    const now = this.now().getTime();
    const out: StaleJob[] = [];
    for (const j of this.jobs.values()) {
      const limitMs = Math.max(3 * j.intervalMs, 60_000);
      const ageMs = now - (j.lastBeat ?? j.startedAt);
      if (ageMs > limitMs) out.push({ name: j.name, lastBeat: j.lastBeat === null ? null : new Date(j.lastBeat).toISOString(), ageMs, limitMs });
    }
    return out;
  }
}
