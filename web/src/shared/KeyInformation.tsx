/**
 * 关键信息 (issue 13 §5): the key facts of a complaint text — phone, order / waybill and plate
 * numbers, amounts, dates and times, products, and the signal words — marked, each explaining
 * itself on hover, with the grade / 恶性 flag the signals suggest (shown, never applied). The
 * server finds them (POST /api/v1/text/key-information, domain/complaint/key-information.ts);
 * this only draws them.
 */
import { Alert, Card, Space, Tag, Tooltip, Typography } from 'antd';
import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type Schemas } from '../api/client';
import { useLookups } from '../app/session';
import { pick } from '../i18n';

type KeyInfo = Schemas['KeyInformation'];
type KeyMark = Schemas['KeyMark'];

export const KEY_COLOURS: Record<KeyMark['kind'], string> = {
  phone: 'blue',
  order: 'geekblue',
  plate: 'cyan',
  amount: 'gold',
  datetime: 'purple',
  product: 'green',
  signal: 'red',
};

/** The key information of `text`, fetched a moment after the typing stops; null while empty. */
export function useKeyInformation(text: string | undefined, delayMs = 400): KeyInfo | null {
  const [info, setInfo] = useState<KeyInfo | null>(null);
  useEffect(() => {
    const s = (text ?? '').trim();
    if (!s) {
      setInfo(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      ok(api.POST('/api/v1/text/key-information', { body: { text: s } }))
        .then((r) => live && setInfo(r))
        .catch(() => live && setInfo(null)); // a hint, not a step: the form works without it
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, delayMs]);
  return info;
}

/** The text with its marks drawn in place (the case page's description). */
export function MarkedText({ text, marks }: { text: string; marks: KeyMark[] }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [i, m] of marks.entries()) {
    if (m.start < at || m.end > text.length) continue;
    if (m.start > at) parts.push(<Fragment key={`t${i}`}>{text.slice(at, m.start)}</Fragment>);
    parts.push(
      <Tooltip key={`m${i}`} title={pick(m.why)}>
        <mark className={`kesu-key kesu-key-${m.kind}`} data-kind={m.kind}>
          {text.slice(m.start, m.end)}
        </mark>
      </Tooltip>,
    );
    at = m.end;
  }
  if (at < text.length) parts.push(<Fragment key="rest">{text.slice(at)}</Fragment>);
  return <span style={{ whiteSpace: 'pre-wrap' }}>{parts}</span>;
}

/** The suggestion of the signal words, as the specialist sees it. */
function Suggestion({ s }: { s: NonNullable<KeyInfo['suggestion']> }) {
  const { t } = useTranslation();
  const { policy } = useLookups();
  const grade = s.grade ? policy?.grades.find((g) => g.code === s.grade) : undefined;
  const what = [grade ? t('keyInfo.suggestGrade', { grade: pick(grade.name) }) : null, s.vicious ? t('keyInfo.suggestVicious') : null].filter(Boolean).join(t('keyInfo.and'));
  return <Alert type="warning" showIcon style={{ marginTop: 6 }} data-testid="key-info-suggestion" message={t('keyInfo.suggestion', { what })} description={t('keyInfo.because', { words: s.because.join('、') })} />;
}

/** A side panel listing the marks of a text being typed (the intake screen). */
export function KeyInformationPanel({ text }: { text: string | undefined }) {
  const { t } = useTranslation();
  const info = useKeyInformation(text);
  if (!info || (info.marks.length === 0 && !info.suggestion)) return null;
  return (
    <Card size="small" title={t('keyInfo.title')} style={{ marginBottom: 8 }} data-testid="key-info">
      <Space size={[4, 4]} wrap>
        {info.marks.map((m, i) => (
          <Tooltip key={i} title={pick(m.why)}>
            <Tag color={KEY_COLOURS[m.kind]} data-kind={m.kind} style={{ marginInlineEnd: 0 }}>
              {t(`keyInfo.kind.${m.kind}`)}: {m.text}
            </Tag>
          </Tooltip>
        ))}
      </Space>
      {info.suggestion && <Suggestion s={info.suggestion} />}
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, marginTop: 4 }}>
        {t('keyInfo.hint')}
      </Typography.Text>
    </Card>
  );
}

/** A stored complaint text with its key information marked (the case page). */
export function MarkedDescription({ text }: { text: string }) {
  const info = useKeyInformation(text, 0);
  return info ? <MarkedText text={text} marks={info.marks} /> : <>{text}</>;
}
