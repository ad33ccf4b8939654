/**
 * 相关投诉 on the case page (issue 13 §2): the cases linked to this one at intake — the same
 * customer, the same order / plate / product, a near-identical text — with why, and the problem
 * records (问题单) grouping it. Only the cases the reader may see come from the server.
 */
import { Card, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ok, type Schemas } from '../api/client';
import { formatDate } from './format';

type Related = Schemas['RelatedCase'];
type Problem = Schemas['Problem'];

export function RelatedCases({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const [related, setRelated] = useState<Related[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const [r, p] = await Promise.all([
        ok(api.GET('/api/v1/complaints/{id}/related', { params: { path: { id: caseId } } })).catch(() => [] as Related[]),
        ok(api.GET('/api/v1/complaints/{id}/problems', { params: { path: { id: caseId } } })).catch(() => [] as Problem[]),
      ]);
      if (live) {
        setRelated(r);
        setProblems(p);
      }
    })();
    return () => {
      live = false;
    };
  }, [caseId]);
  if (!related.length && !problems.length) return null;
  return (
    <Card size="small" title={t('related.title', { count: related.length })} data-testid="related-cases" style={{ marginBottom: 8 }}>
      {problems.map((p) => (
        <div key={p.id} data-testid="related-problem" style={{ marginBottom: 6 }}>
          <Tag color={p.state === 'verified' ? 'green' : p.overdue ? 'red' : 'orange'}>{t(`problem.state.${p.state}`)}</Tag>
          <Link to="/systemic">{p.title}</Link>
          <Typography.Text type="secondary">
            {' '}
            · {t('problem.owner')}: {p.owner.name} · {t('problem.due')}: {p.dueDate}
          </Typography.Text>
        </div>
      ))}
      <List
        size="small"
        dataSource={related}
        renderItem={(c) => (
          <List.Item data-testid="related-case">
            <Space wrap size={4}>
              <Link to={`/cases/${c.id}`}>{c.number}</Link>
              <Typography.Text ellipsis style={{ maxWidth: 320 }}>
                {c.title}
              </Typography.Text>
              {c.reasons.map((r) => (
                <Tag key={r.reason + (r.detail ?? '')} color={r.reason === 'customer' ? 'blue' : r.reason === 'reference' ? 'purple' : 'gold'}>
                  {t(`related.reason.${r.reason}`)}
                  {r.reason === 'reference' && r.detail ? ` · ${t(`related.ref.${r.detail}`)}` : ''}
                  {r.reason === 'text' && r.detail ? ` ${Math.round(Number(r.detail) * 100)}%` : ''}
                </Tag>
              ))}
              <Typography.Text type="secondary">
                {t(`related.${c.direction}`)} · {formatDate(c.receivedAt)}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}
