/** A policy script (话术) shown step by step, its placeholders filled in. */
import { Collapse, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ScriptStep } from '../api/client';
import { pick } from '../i18n';

/**
 * Fills `{name}` placeholders. A value that already ends a sentence (“致歉并补发。”) before the
 * template's own full stop (“…：{solution}。”) keeps one stop, not “。。”.
 */
export function fillScript(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(/\{(\w+)\}([。.．]?)/g, (m, k: string, stop: string) => {
    const v = vars[k];
    if (v === undefined) return m;
    const trimmed = v.trim();
    return stop && /[。.．！!？?]$/.test(trimmed) ? trimmed : v + stop;
  });
}

export function ScriptPanel({ steps, situations = [], vars, active, testId }: { steps: ScriptStep[]; situations?: ScriptStep[]; vars: Record<string, string | undefined>; active?: string[]; testId?: string }) {
  const { t } = useTranslation();
  if (!steps.length && !situations.length) return <Empty description={t('script.none')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const item = (s: ScriptStep, i: number | null) => ({
    key: s.code,
    label: (
      <span>
        {i !== null && <Typography.Text type="secondary">{i + 1}. </Typography.Text>}
        <b>{pick(s.title)}</b>
        {s.hint && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {' '}
            — {pick(s.hint)}
          </Typography.Text>
        )}
      </span>
    ),
    children: s.lines.map((l, j) => (
      <Typography.Paragraph key={j} style={{ marginBottom: 6 }}>
        “{fillScript(pick(l), vars)}”
      </Typography.Paragraph>
    )),
  });
  return (
    <div data-testid={testId}>
      <Collapse size="small" defaultActiveKey={active ?? steps.slice(0, 2).map((s) => s.code)} items={steps.map((s, i) => item(s, i))} />
      {situations.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('script.situations')}
          </Typography.Title>
          <Collapse size="small" items={situations.map((s) => item(s, null))} />
        </>
      )}
    </div>
  );
}
