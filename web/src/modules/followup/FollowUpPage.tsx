/**
 * 回访: the cases waiting for a follow-up call, the seven-step script of the policy for the call,
 * and the record of it — reached or not, satisfaction with per-dimension scores, comments. An
 * unsatisfied customer sends the case back for handling one tier up; the console says so.
 */
import { Alert, App, Card, Col, Descriptions, Empty, Grid, List, Row, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, listQuery, ok, type CaseView, type ListRow } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { useCaseChanges } from '../../app/live';
import { ScriptPanel } from '../../shared/ScriptPanel';
import { Countdown } from '../../shared/Countdown';
import { formatDateTime, formatMoney } from '../../shared/format';
import { ActionForm } from '../case/ActionForm';
import { actionFields, inputOf } from '../case/action-fields';
import { pick } from '../../i18n';

export function FollowUpPage() {
  const { t } = useTranslation();
  // The list of calls beside the case on a screen, above it on a phone.
  const wide = Grid.useBreakpoint().md ?? true;
  const { message } = App.useApp();
  const { me } = useSession();
  const { policy, staff, lifecycle, gradeName, tierName, userName } = useLookups();
  const [rows, setRows] = useState<ListRow[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [view, setView] = useState<CaseView | null>(null);
  const [outcome, setOutcome] = useState<{ number: string; state: string; tier: number; unsatisfied: boolean } | null>(null);

  const load = useCallback(async () => {
    // Soonest follow-up deadline first (the server orders by the clock due next).
    const r = await ok(api.GET('/api/v1/complaints', { params: { query: listQuery({ state: ['answered'], order: 'due', limit: 200 }) } }));
    setRows(r.items);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useCaseChanges(() => void load());
  useEffect(() => {
    if (!selected) return setView(null);
    ok(api.GET('/api/v1/complaints/{id}', { params: { path: { id: selected } } }))
      .then(setView)
      .catch((e: Error) => void message.error(e.message));
  }, [selected, message]);

  const fields = useMemo(() => actionFields('follow_up', inputOf(lifecycle, 'follow_up'), { view: null, policy, staff, t, pick }), [lifecycle, policy, staff, t]);
  const c = view?.complaint;
  const followClock = view?.clocks.find((k) => k.kind === 'follow_up' && k.status !== 'stopped');
  const vars = {
    agent: me?.name,
    customer: c?.complainant.name ?? t('script.customer'),
    number: c?.number,
    solution: c?.answer?.text ?? c?.proposal?.description,
  };

  return (
    <Row gutter={[8, 8]} wrap={!wide}>
      <Col xs={24} md={{ flex: '280px' }}>
        <Card title={t('followup.list')} styles={{ body: { padding: 0, maxHeight: 'calc(100vh - 120px)', overflow: 'auto' } }} extra={<Tag>{rows.length}</Tag>}>
          <List
            data-testid="followup-list"
            dataSource={rows}
            locale={{ emptyText: <Empty description={t('followup.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
            renderItem={(r) => (
              <List.Item
                onClick={() => {
                  setOutcome(null);
                  setSelected(r.id);
                }}
                style={{ cursor: 'pointer', padding: '8px 12px', background: r.id === selected ? '#e6f4ff' : undefined }}
                data-testid="followup-item"
                data-number={r.number}
              >
                <List.Item.Meta
                  title={
                    <span>
                      {r.number} {r.grade && <Tag>{gradeName(r.grade)}</Tag>}
                      {r.cycle > 1 && <Tag color="orange">{t('case.cycle', { cycle: r.cycle })}</Tag>}
                    </span>
                  }
                  description={
                    <span style={{ fontSize: 12 }}>
                      <span data-user-content>{r.title}</span>
                      <br />
                      {t('followup.answeredAt')} {formatDateTime(r.updatedAt)}
                    </span>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} md={{ flex: 'auto' }} style={{ minWidth: 0 }}>
        {outcome && (
          <Alert
            style={{ marginBottom: 8 }}
            type={outcome.unsatisfied ? 'warning' : 'success'}
            showIcon
            data-testid="followup-outcome"
            message={outcome.unsatisfied ? t('followup.backUp', { number: outcome.number, tier: outcome.tier, name: tierName(outcome.tier) }) : t('followup.recorded', { number: outcome.number, state: t(`state.${outcome.state}`) })}
          />
        )}
        {!view || !c ? (
          <Card>
            <Empty description={t('followup.pick')} />
          </Card>
        ) : (
          <Row gutter={[8, 8]}>
            {/* The case and the record form take the width at 1366×768 (labels must not wrap a
                character per line); the call script goes beside them only on very wide screens. */}
            <Col xs={24} xxl={14}>
              <Card
                title={
                  <Space>
                    <Link to={`/cases/${c.number}`}>{c.number}</Link>
                    {followClock && <Countdown dueAt={followClock.dueAt} startedAt={followClock.startedAt} warnAt={followClock.warnAt} breached={!!followClock.breachedAt} />}
                  </Space>
                }
                styles={{ body: { padding: 8 } }}
              >
                <Descriptions
                  size="small"
                  column={{ xs: 1, sm: 1, md: 2 }}
                  bordered
                  styles={{ label: { whiteSpace: 'nowrap' } }}
                  items={[
                    { key: 'customer', label: t('field.complainantName'), children: c.complainant.anonymous ? t('field.anonymous') : (c.complainant.name ?? '—') },
                    { key: 'phone', label: t('field.phone'), children: <Typography.Text copyable>{c.complainant.phone ?? '—'}</Typography.Text> },
                    { key: 'complaint', span: 'filled' as const, label: t('case.complaint'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{c.description}</span> },
                    { key: 'solution', span: 'filled' as const, label: t('case.proposal'), children: c.proposal ? `${c.proposal.description} · ${formatMoney(c.proposal.amount)}` : '—' },
                    { key: 'answer', span: 'filled' as const, label: t('case.answer'), children: c.answer ? `${c.answer.text}（${userName(c.answer.answeredBy)}，${formatDateTime(c.answer.answeredAt)}）` : '—' },
                    { key: 'tier', label: t('field.tier'), children: t('case.tier', { tier: c.tier, name: tierName(c.tier) }) },
                    { key: 'attempts', label: t('case.followUp'), children: t('case.attempts', { count: c.followUp.attempts }) },
                  ]}
                />
                <Typography.Title level={5} style={{ marginTop: 12 }}>
                  {t('followup.record')}
                </Typography.Title>
                {view.allowedActions.includes('follow_up') ? (
                  <ActionForm
                    key={c.id + c.version}
                    caseId={c.id}
                    action="follow_up"
                    fields={fields}
                    submitLabel={t('followup.save')}
                    testId="followup-form"
                    onDone={(v) => {
                      const unsatisfied = v.complaint.state === 'investigating';
                      setOutcome({ number: v.complaint.number, state: v.complaint.state, tier: v.complaint.tier, unsatisfied });
                      setSelected(null);
                      void load();
                    }}
                  />
                ) : (
                  <Alert type="info" message={t('followup.notYours')} />
                )}
              </Card>
            </Col>
            <Col xs={24} xxl={10}>
              <Card title={t('script.followUpTitle')} styles={{ body: { padding: 8 } }}>
                <ScriptPanel steps={policy?.scripts?.followUp ?? []} vars={vars} active={(policy?.scripts?.followUp ?? []).map((s) => s.code)} testId="followup-script" />
              </Card>
            </Col>
          </Row>
        )}
      </Col>
    </Row>
  );
}
