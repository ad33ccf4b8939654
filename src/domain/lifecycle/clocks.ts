/**
 * The clocks of one case during a transition: start, stop, pause, resume, extend, and the
 * sweeper's marks. Every change recomputes the due time through the working-time calendar, so a
 * clock can always explain itself (holidays, adjusted working days and pauses it skipped).
 */
import { addDuration, parseDuration, type WorkingCalendar, type Pause } from '../calendar/index.js';
import type { Clock, ClockKind } from '../complaint/types.js';
import { calendarNameForClock, type Policy } from '../policy/index.js';
import { ruleOfClock } from '../policy/clock-rules.js';

/**
 * The calendar each clock of a case counts on: the policy's named calendar for it (the emergency
 * desk's for an emergency case), found among the default calendar's `named` ones, else the
 * default. `caseNow` reads the case as it currently is.
 */
export function clockCalendars(ctx: { policy: Policy; calendar: WorkingCalendar }, caseNow: () => { emergency: boolean }): (kind: ClockKind) => WorkingCalendar {
  return (kind) => {
    // A rule clock counts on its rule's calendar when it names one (clockRules[].calendar).
    const name = ruleOfClock(ctx.policy, kind)?.calendar ?? calendarNameForClock(ctx.policy, kind, { emergency: caseNow().emergency });
    return (name !== undefined ? ctx.calendar.named[name] : undefined) ?? ctx.calendar;
  };
}

/** Clocks that are the sweeper's timers, not deadlines anyone must meet (left out of on-time rates). */
export function isDeadlineClock(kind: string): boolean {
  return kind !== 'escalation' && !kind.startsWith('grade_rise');
}

/** Clocks whose breach escalates the case one tier (the handling clocks). */
export const ESCALATING_CLOCKS = new Set(['triage', 'dispatch', 'first_response', 'resolve', 'approval', 'escalation', 'regulator']);

/** A clock whose times a recalculation moved (`recalculate_clocks` records these on its event). */
export interface ClockMove {
  clock: ClockKind;
  from: { dueAt: string | null; warnAt: string | null };
  to: { dueAt: string | null; warnAt: string | null };
}

/**
 * A clock a recalculation did not move whose years without holiday data changed (the list of a
 * year it had to assume was saved and changes nothing in its span): its loud warning goes.
 */
export interface ClockHolidayData {
  clock: ClockKind;
  missingHolidayYears: { from: number[]; to: number[] };
}

export interface Recalculation {
  moved: ClockMove[];
  /** Not moved, only the missing-holiday-data flag changed (kept: the clock row is written too). */
  holidayData: ClockHolidayData[];
}

export class ClockSet {
  private readonly byKind = new Map<ClockKind, Clock>();
  private readonly changed = new Set<ClockKind>();

  /**
   * `calendarOf` picks the calendar a clock counts on (a policy's named calendars); without it
   * every clock counts on `calendar`.
   */
  constructor(
    private readonly complaintId: string,
    clocks: Clock[],
    private readonly calendar: WorkingCalendar,
    private readonly warnAt: number,
    private readonly calendarOf: (kind: ClockKind) => WorkingCalendar = () => calendar,
  ) {
    for (const c of clocks) this.byKind.set(c.kind, structuredClone(c));
  }

  get(kind: ClockKind): Clock | undefined {
    return this.byKind.get(kind);
  }

  all(): Clock[] {
    return [...this.byKind.values()];
  }

  /** Clocks created or modified during this transition (what the store must upsert). */
  changes(): Clock[] {
    return [...this.changed].map((k) => this.byKind.get(k)!);
  }

  /** Starts (or restarts) a clock measured from `startAt` for `duration`. */
  start(kind: ClockKind, duration: string, startAt: Date, now: Date): void {
    const clock = this.blank(kind, startAt, duration);
    this.byKind.set(kind, clock);
    this.recompute(clock, now);
  }

  /** A clock with a due time fixed by someone else (a regulator's deadline). */
  startFixed(kind: ClockKind, dueAt: Date, now: Date): void {
    const clock = this.blank(kind, now, null);
    clock.dueAt = dueAt.toISOString();
    clock.explanation = { fixed: true, start: clock.startedAt, due: clock.dueAt };
    this.byKind.set(kind, clock);
    this.recompute(clock, now);
  }

  private blank(kind: ClockKind, startAt: Date, duration: string | null): Clock {
    return {
      complaintId: this.complaintId,
      kind,
      status: 'running',
      startedAt: startAt.toISOString(),
      duration,
      extensions: [],
      pauses: [],
      dueAt: null,
      warnAt: null,
      warnedAt: null,
      breachedAt: null,
      stoppedAt: null,
      missingHolidayYears: [],
      explanation: null,
      nextCheckAt: null,
    };
  }

  /** Changes a running clock's duration keeping its start (e.g. the grade is now known). */
  retime(kind: ClockKind, duration: string, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock || clock.status === 'stopped') return;
    clock.duration = duration;
    this.recompute(clock, now);
  }

  stop(kind: ClockKind, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock || clock.status === 'stopped') return;
    this.closeOpenPause(clock, now);
    clock.status = 'stopped';
    clock.stoppedAt = now.toISOString();
    clock.nextCheckAt = null;
    this.changed.add(kind);
  }

  /**
   * Runs a stopped clock again from its own start (a reopened case: the grade-rise clock counts
   * from receipt, so a case unresolved after all still rises on time).
   */
  reopen(kind: ClockKind, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock || clock.status !== 'stopped') return;
    clock.status = 'running';
    clock.stoppedAt = null;
    this.recompute(clock, now);
  }

  stopAll(now: Date, except: ClockKind[] = []): void {
    for (const kind of this.byKind.keys()) if (!except.includes(kind)) this.stop(kind, now);
  }

  /** Pauses every running clock except those named (a regulator's clock keeps running). */
  pauseAll(now: Date, except: ClockKind[]): ClockKind[] {
    const paused: ClockKind[] = [];
    for (const clock of this.byKind.values()) {
      if (clock.status !== 'running' || except.includes(clock.kind) || clock.duration === null) continue;
      clock.status = 'paused';
      clock.pauses.push({ from: now.toISOString(), to: null });
      this.recompute(clock, now);
      paused.push(clock.kind);
    }
    return paused;
  }

  resumeAll(now: Date): ClockKind[] {
    const resumed: ClockKind[] = [];
    for (const clock of this.byKind.values()) {
      if (clock.status !== 'paused') continue;
      this.closeOpenPause(clock, now);
      clock.status = 'running';
      this.recompute(clock, now);
      resumed.push(clock.kind);
    }
    return resumed;
  }

  extend(kind: ClockKind, duration: string, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock || clock.status === 'stopped') return;
    clock.extensions.push(duration);
    clock.breachedAt = null;
    clock.warnedAt = null;
    this.recompute(clock, now);
  }

  markWarned(kind: ClockKind, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock) return;
    clock.warnedAt = now.toISOString();
    this.recompute(clock, now);
  }

  markBreached(kind: ClockKind, now: Date): void {
    const clock = this.byKind.get(kind);
    if (!clock) return;
    clock.breachedAt = now.toISOString();
    clock.warnedAt ??= now.toISOString();
    this.recompute(clock, now);
  }

  /**
   * Counts every running clock with a limit again from its start, with its extensions and pauses,
   * on the calendars as they are now (a holiday list changed). Returns the clocks whose due or
   * warning time moved, with both times before and after, and those that did not move but whose
   * years without holiday data changed (the year's list was saved: the flag is cleared, the
   * explanation rewritten). Any other clock is left as it was (not even its explanation is
   * rewritten), so running this twice changes nothing.
   */
  recalculate(now: Date): Recalculation {
    const out: Recalculation = { moved: [], holidayData: [] };
    for (const clock of [...this.byKind.values()]) {
      if (clock.status !== 'running' || clock.duration === null) continue;
      const before = structuredClone(clock);
      const wasChanged = this.changed.has(clock.kind);
      this.recompute(clock, now);
      if (clock.dueAt === before.dueAt && clock.warnAt === before.warnAt) {
        const years = { from: before.missingHolidayYears ?? [], to: clock.missingHolidayYears };
        if (years.from.join() !== years.to.join()) {
          out.holidayData.push({ clock: clock.kind, missingHolidayYears: years });
          continue;
        }
        this.byKind.set(clock.kind, before);
        if (!wasChanged) this.changed.delete(clock.kind);
        continue;
      }
      out.moved.push({ clock: clock.kind, from: { dueAt: before.dueAt, warnAt: before.warnAt }, to: { dueAt: clock.dueAt, warnAt: clock.warnAt } });
    }
    return out;
  }

  /** Due time a duration would give from `start` on this case's calendar (no pauses). */
  dueFrom(start: Date, duration: string): Date {
    return addDuration(start, duration, this.calendar).due!;
  }

  private closeOpenPause(clock: Clock, now: Date): void {
    const open = clock.pauses.find((p) => p.to === null);
    if (open) open.to = now.toISOString();
  }

  /**
   * Due = start + duration, then + each extension in turn, skipping pauses. The warning falls at
   * the policy's fraction of the last segment (the base duration or the latest extension), so an
   * extended clock warns again before its new due time. A paused clock has no due time.
   */
  private recompute(clock: Clock, _now: Date): void {
    this.changed.add(clock.kind);
    if (clock.duration !== null) {
      const pauses: Pause[] = clock.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
      const cal = this.calendarOf(clock.kind);
      let segmentStart: Date | null = new Date(clock.startedAt);
      let segment = clock.duration;
      let r = addDuration(segmentStart, segment, cal, pauses);
      const explanations = [r.explanation];
      for (const ext of clock.extensions) {
        if (!r.due) break;
        segmentStart = r.due;
        segment = ext;
        r = addDuration(segmentStart, ext, cal, pauses);
        explanations.push(r.explanation);
      }
      clock.dueAt = r.due ? r.due.toISOString() : null;
      clock.missingHolidayYears = [...new Set(explanations.flatMap((e) => e.missingHolidayYears))].sort();
      clock.explanation = explanations.length === 1 ? explanations[0] : { chain: explanations };
      const d = parseDuration(segment);
      const warn = r.due && d.amount > 0 ? addDuration(segmentStart, { ...d, amount: d.amount * this.warnAt }, cal, pauses).due : null;
      clock.warnAt = warn ? warn.toISOString() : null;
    } else if (clock.dueAt) {
      // A fixed due time warns at the same fraction of its calendar span.
      const start = new Date(clock.startedAt).getTime();
      clock.warnAt = new Date(start + (new Date(clock.dueAt).getTime() - start) * this.warnAt).toISOString();
    }
    const warnPending = !clock.warnedAt && clock.warnAt !== null && clock.dueAt !== null && clock.warnAt < clock.dueAt;
    clock.nextCheckAt = clock.status !== 'running' || clock.breachedAt ? null : warnPending ? clock.warnAt : clock.dueAt;
  }
}
