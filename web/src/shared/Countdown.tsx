/**
 * Time left on a clock, coloured by its state: on time (green), warning (orange: past the
 * warning point, or the last fifth of the time when the warning point is not known), breached (red).
 */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNow } from '../app/live';
import { formatDuration, formatDateTime } from './format';

export type ClockTone = 'ok' | 'warning' | 'breached' | 'none';

export function toneOf(dueAt: string | null | undefined, now: number, opts: { startedAt?: string; warnAt?: string | null; breached?: boolean } = {}): ClockTone {
  if (!dueAt) return 'none';
  const due = Date.parse(dueAt);
  if (opts.breached || now >= due) return 'breached';
  if (opts.warnAt) return now >= Date.parse(opts.warnAt) ? 'warning' : 'ok';
  if (opts.startedAt) {
    const start = Date.parse(opts.startedAt);
    return now >= start + (due - start) * 0.8 ? 'warning' : 'ok';
  }
  return due - now < 4 * 3_600_000 ? 'warning' : 'ok';
}

const COLORS: Record<ClockTone, string> = { ok: 'success', warning: 'warning', breached: 'error', none: 'default' };

export function Countdown(props: { dueAt: string | null | undefined; startedAt?: string; warnAt?: string | null; breached?: boolean; paused?: boolean }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  if (!props.dueAt) return <span>—</span>;
  if (props.paused) return <Tag>{t('clock.paused')}</Tag>;
  const tone = toneOf(props.dueAt, now, props);
  const left = Date.parse(props.dueAt) - now;
  return (
    <Tag color={COLORS[tone]} title={formatDateTime(props.dueAt)} data-tone={tone}>
      {left >= 0 ? t('clock.left', { d: formatDuration(left) }) : t('clock.over', { d: formatDuration(left) })}
    </Tag>
  );
}
