/** The period presets of the reports page, as local dates (YYYY-MM-DD, `to` included). */
import dayjs, { type Dayjs } from 'dayjs';

export const PRESETS = ['thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'custom'] as const;
export type Preset = (typeof PRESETS)[number];
export interface Period {
  from: string;
  to: string;
}

const iso = (d: Dayjs) => d.format('YYYY-MM-DD');
/** Monday of the week of `d` (ISO weeks, whatever the UI locale). */
const monday = (d: Dayjs) => d.subtract((d.day() + 6) % 7, 'day').startOf('day');

export function presetPeriod(p: Exclude<Preset, 'custom'>, today: Dayjs = dayjs()): Period {
  switch (p) {
    case 'thisWeek':
      return { from: iso(monday(today)), to: iso(monday(today).add(6, 'day')) };
    case 'lastWeek':
      return { from: iso(monday(today).subtract(7, 'day')), to: iso(monday(today).subtract(1, 'day')) };
    case 'thisMonth':
      return { from: iso(today.startOf('month')), to: iso(today.endOf('month')) };
    case 'lastMonth': {
      const m = today.subtract(1, 'month');
      return { from: iso(m.startOf('month')), to: iso(m.endOf('month')) };
    }
  }
}

/** The local dates a trend bucket covers: from its start to the day before the next one (or the period's end). */
export function bucketPeriod(starts: string[], i: number, period: Period): Period {
  const next = starts[i + 1];
  return { from: starts[i]!, to: next ? iso(dayjs(next).subtract(1, 'day')) : period.to };
}

/** A sensible grouping for a period: days up to two months, weeks up to half a year, else months. */
export function defaultGroupBy(p: Period): 'day' | 'week' | 'month' {
  const days = dayjs(p.to).diff(dayjs(p.from), 'day') + 1;
  return days <= 62 ? 'day' : days <= 190 ? 'week' : 'month';
}
