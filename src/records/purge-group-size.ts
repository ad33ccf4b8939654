/**
 * How many cases the next purge group takes (issue 15: purge fast, without blocking intake).
 *
 * A group is one transaction, and on SQLite its transaction holds the one writer: an intake
 * arriving meanwhile waits for the group's commit. Small groups cost a commit (a flush to the
 * disk, ~10–20 ms on the shared VM) per few cases — most of a 50-case group's wall time there
 * (docs/performance.md) — large ones make intake wait longer. So the group is sized to a time
 * budget rather than a count: after each group the next one is scaled towards `budgetMs` by the
 * time the last one took, at most doubled or halved per step, within [min, max]. A fast machine
 * gets large groups (few commits), a loaded one small groups (short waits for intake).
 * `max` also bounds the statements' parameter lists (a group's IN lists and CASE updates).
 */
export interface GroupSizing {
  min: number;
  max: number;
  /** Target time of one group's transaction, ms. */
  budgetMs: number;
}

/**
 * Never below the fixed 50 of before: on the loaded VM a 50-case group already takes longer than
 * the budget, and smaller groups there cost more CPU per case (more commits) without a measured
 * gain for intake (docs/performance.md) — so the budget only lets a faster machine grow them.
 */
export const PURGE_GROUPS: GroupSizing = { min: 50, max: 200, budgetMs: 60 };

export class GroupSize {
  private size: number;
  constructor(
    private readonly sizing: GroupSizing = PURGE_GROUPS,
    start = 50,
  ) {
    this.size = clamp(start, sizing.min, sizing.max);
  }

  /** Cases for the next group. */
  next(): number {
    return this.size;
  }

  /** The group of `cases` just took `ms`: sizes the next one. */
  took(cases: number, ms: number): void {
    if (cases < this.size) return; // a short tail says little about the rate
    const scaled = ms > 0 ? (cases * this.sizing.budgetMs) / ms : cases * 2;
    this.size = clamp(Math.round(Math.min(cases * 2, Math.max(cases / 2, scaled))), this.sizing.min, this.sizing.max);
  }
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
