/** Dates and durations in the user's locale. */
import i18n from '../i18n';

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18n.language, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/** `2天3小时`, `3 h 20 min`: the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const t = i18n.t.bind(i18n);
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  if (d > 0) return h ? `${t('duration.days', { count: d })}${t('duration.sep')}${t('duration.hours', { count: h })}` : t('duration.days', { count: d });
  if (h > 0) return m ? `${t('duration.hours', { count: h })}${t('duration.sep')}${t('duration.minutes', { count: m })}` : t('duration.hours', { count: h });
  if (m > 0) return t('duration.minutes', { count: m });
  return t('duration.seconds', { count: s });
}

/** A policy duration text (`2wd`, `24h`) in words. */
export function formatPolicyDuration(text: string | undefined | null): string {
  if (!text) return '—';
  const m = /^(\d+(?:\.\d+)?)(m|h|d|w|wd|wh)$/.exec(text);
  if (!m) return text;
  return i18n.t(`policyUnit.${m[2]}`, { count: Number(m[1]) });
}

export function formatMoney(n: number | undefined | null): string {
  if (n === undefined || n === null) return '—';
  return new Intl.NumberFormat(i18n.language, { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 }).format(n);
}

/** A list in the UI language: "退货换货、赔偿" in Chinese, "Return / exchange, Compensation" in English. */
export function joinList(items: readonly string[]): string {
  return items.join(i18n.language === 'en' ? ', ' : '、');
}
