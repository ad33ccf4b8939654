/**
 * 相似经验与案例 (issue 13 §6): while the complaint text is typed, the experience articles and the
 * similar resolved cases (the ones this user may see) the server ranks for it, each with why it
 * matched, and a helpful / not-helpful vote that bends later rankings (POST /api/v1/knowledge/match,
 * /feedback; src/services/knowledge-match.ts).
 */
import { Button, Card, List, Space, Tag, Tooltip, Typography } from 'antd';
import { DislikeOutlined, LikeOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, newIdempotencyKey, ok, type Schemas, type ScriptStep } from '../../api/client';

export type Match = Schemas['KnowledgeMatch'];
type Reasons = Match['articles'][number]['reasons'];

/** The matches of `text`, fetched a moment after the typing stops; null while too short. */
export function useKnowledgeMatch(text: string | undefined, category?: string | null, delayMs = 600): Match | null {
  const [m, setM] = useState<Match | null>(null);
  useEffect(() => {
    const s = (text ?? '').trim();
    if (s.length < 4) {
      setM(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      ok(api.POST('/api/v1/knowledge/match', { body: { text: s, ...(category ? { category } : {}), limit: 3 } }))
        .then((r) => live && setM(r))
        .catch(() => live && setM(null)); // a hint, not a step: the form works without it
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, category, delayMs]);
  return m;
}

/**
 * Situation scripts (话术) from the library for the intake phone-script panel (issue 13 §4): the
 * phone-script lines of the matched articles, each under the article's title. Articles are
 * written in one language, so every language shows the text as written.
 */
export function librarySituations(m: Match | null, hint: string): ScriptStep[] {
  return (m?.articles ?? []).filter((a) => a.scripts.length > 0).map((a) => ({ code: `library-${a.id}`, title: { 'zh-CN': a.title }, hint: { 'zh-CN': hint, 'zh-TW': hint, en: hint }, lines: a.scripts.map((l) => ({ 'zh-CN': l })) }));
}

function Why({ r }: { r: Reasons }) {
  const { t } = useTranslation();
  return (
    <Space size={[4, 4]} wrap data-testid="match-why">
      {r.sharedTerms.slice(0, 5).map((w) => (
        <Tooltip key={w} title={t('knowledge.why.term')}>
          <Tag color="blue" style={{ marginInlineEnd: 0 }}>
            {w}
          </Tag>
        </Tooltip>
      ))}
      {r.sameCategory && <Tag color="purple">{t('knowledge.why.category')}</Tag>}
      {r.sharedProducts.map((p) => (
        <Tag key={p} color="green">
          {t('knowledge.why.product', { product: p })}
        </Tag>
      ))}
    </Space>
  );
}

function Vote({ kind, id }: { kind: 'article' | 'case'; id: string }) {
  const { t } = useTranslation();
  const [voted, setVoted] = useState<boolean | null>(null);
  const send = async (helpful: boolean) => {
    await ok(api.POST('/api/v1/knowledge/feedback', { body: { kind, targetId: id, helpful }, params: { header: { 'idempotency-key': newIdempotencyKey() } } }));
    setVoted(helpful);
  };
  return (
    <Space size={2}>
      <Tooltip title={t('knowledge.helpful')}>
        <Button size="small" type={voted === true ? 'primary' : 'text'} icon={<LikeOutlined />} aria-label={t('knowledge.helpful')} data-testid="match-helpful" onClick={() => void send(true)} />
      </Tooltip>
      <Tooltip title={t('knowledge.notHelpful')}>
        <Button size="small" type={voted === false ? 'primary' : 'text'} danger={voted === false} icon={<DislikeOutlined />} aria-label={t('knowledge.notHelpful')} data-testid="match-not-helpful" onClick={() => void send(false)} />
      </Tooltip>
    </Space>
  );
}

function WhyAndVote({ r, kind, id }: { r: Reasons; kind: 'article' | 'case'; id: string }) {
  return (
    <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 4, marginTop: 2 }}>
      <Why r={r} />
      <Vote kind={kind} id={id} />
    </div>
  );
}

/** A side panel beside the intake form: articles first, then similar cases. */
/** The matches from useKnowledgeMatch (the intake screen fetches once for this panel and the script panel). */
export function KnowledgeMatchPanel({ match: m }: { match: Match | null }) {
  const { t } = useTranslation();
  if (!m || (!m.articles.length && !m.cases.length)) return null;
  return (
    <Card size="small" title={t('knowledge.matchTitle')} style={{ marginBottom: 8 }} data-testid="knowledge-match">
      {m.articles.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t('knowledge.articles')}</Typography.Text>}
          dataSource={m.articles}
          renderItem={(a) => (
            <List.Item style={{ padding: '4px 0' }} data-testid="match-article">
              <Space direction="vertical" size={0} style={{ width: '100%' }}>
                <Link to={`/knowledge/${a.id}`} target="_blank" rel="noreferrer">
                  {a.title}
                </Link>
                <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 320 }} ellipsis>
                  {a.steps.join('；')}
                </Typography.Text>
                {a.scripts[0] && (
                  <Typography.Text italic style={{ fontSize: 12 }}>
                    “{a.scripts[0]}”
                  </Typography.Text>
                )}
                <WhyAndVote r={a.reasons} kind="article" id={a.id} />
              </Space>
            </List.Item>
          )}
        />
      )}
      {m.cases.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t('knowledge.cases')}</Typography.Text>}
          dataSource={m.cases}
          renderItem={(c) => (
            <List.Item style={{ padding: '4px 0' }} data-testid="match-case">
              <Space direction="vertical" size={0} style={{ width: '100%' }}>
                <Space size={4} wrap>
                  <Link to={`/cases/${c.number}`} target="_blank" rel="noreferrer">
                    {c.number}
                  </Link>
                  {c.satisfaction && <Tag color={c.satisfaction === 'unsatisfied' ? 'red' : 'green'}>{t(`satisfaction.${c.satisfaction}`)}</Tag>}
                </Space>
                <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                  {c.title}
                </Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('knowledge.solution')}: {c.solution}
                </Typography.Text>
                <WhyAndVote r={c.reasons} kind="case" id={c.id} />
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
