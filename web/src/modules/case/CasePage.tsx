/**
 * The case page: summary, customer, complaint, timeline, deadlines, one button per allowed
 * action (each opening a form for exactly what it needs), and the process flowchart with the
 * case's position.
 */
import { Alert, App, Button, Card, Col, Descriptions, Empty, Grid, Modal, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError, api, ok, type CaseView, type Clock, type TimelineEvent } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { useCaseChanges } from '../../app/live';
import { Countdown } from '../../shared/Countdown';
import { StateTag } from '../../shared/StateTag';
import { formatDate, formatDateTime, formatMoney, formatPolicyDuration, joinList } from '../../shared/format';
import { currentLocale, pick } from '../../i18n';
import { actionFields, inputOf } from './action-fields';
import { actionButtons } from './action-buttons';
import { AccessCodeIssuer } from './AccessCodeIssuer';
import { MarkedDescription } from '../../shared/KeyInformation';
import { CustomerFlags } from '../../shared/CustomerFlags';
import { RelatedCases } from '../../shared/RelatedCases';
import { CaseDuties } from '../../shared/CaseDuties';
import { RevealField } from '../../shared/RevealField';
import { CaseExportButtons } from './CaseExportButtons';
import { ToExperienceButton } from '../knowledge/ToExperienceButton';
import { useBackToQueue } from './useBackToQueue';
import { usePageShortcuts } from '../../app/page-shortcuts';
import { ACCEPT, acceptByKey } from './accept-by-key';

/** The one-step triage (判定 → 分类分级 → 分派): not a lifecycle action of its own, three of them at once. */
const TRIAGE = 'triage';
/** Forms whose handler pickers show each person's open cases. */
const LOAD_FORMS = ['route', 'reroute', TRIAGE];
/** Two label/value pairs per row on a wide card, one on a phone (labels would wrap a character per line). */
const TWO_ON_WIDE = { xs: 1, sm: 1, md: 2 } as const;

/**
 * What the page does not need to show the case loads right after it, not before (issue 14: the
 * first load under 400 KB compressed, test/browser/bundle-budget.test.ts): the action forms
 * (date and number pickers, ~45 KB; fetched in the background once the case is shown, so they are
 * usually in when an action is chosen), the print form (hidden on screen), and the two panels
 * below the fold — the attachments with their upload control and the flowchart.
 */
const loadActionForm = () => import('./ActionForm');
const loadTriageForm = () => import('./TriageForm');
const ActionForm = lazy(() => loadActionForm().then((m) => ({ default: m.ActionForm })));
const TriageForm = lazy(() => loadTriageForm().then((m) => ({ default: m.TriageForm })));
const CasePrintForm = lazy(() => import('./CasePrintForm').then((m) => ({ default: m.CasePrintForm })));
const AttachmentsPanel = lazy(() => import('./AttachmentsPanel').then((m) => ({ default: m.AttachmentsPanel })));
const Flowchart = lazy(() => import('./Flowchart').then((m) => ({ default: m.Flowchart })));
const formLoading = <Spin style={{ display: 'block', margin: '24px auto' }} />;

export function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { message, modal } = App.useApp();
  const lk = useLookups();
  const { me, has } = useSession();
  const { policy, staff, lifecycle, userName, deptName, gradeName, categoryName, reasonName, tierName, levelName, actionLabel } = lk;
  const [view, setView] = useState<CaseView | null>(null);
  const [missing, setMissing] = useState(false);
  const [action, setAction] = useState<string | null>(null);
  const [loads, setLoads] = useState<ReadonlyMap<string, number> | undefined>(undefined);
  const [away, setAway] = useState<ReadonlyMap<string, string>>(new Map());
  const absence = useCallback((userId: string) => (away.has(userId) ? t('picker.awayUntil', { date: formatDate(away.get(userId)!) }) : undefined), [away, t]);

  const load = useCallback(async () => {
    try {
      setView(await ok(api.GET('/api/v1/complaints/{id}', { params: { path: { id } } })));
      setMissing(false);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setMissing(true);
      else void message.error((e as Error).message);
    }
  }, [id, message]);
  useEffect(() => {
    setView(null);
    void load();
  }, [load]);
  useCaseChanges((c) => {
    if (view && c.id === view.complaint.id && !action) void load();
  });
  const back = useBackToQueue();
  // The case page's keys (web/src/app/shortcuts.ts, scope "case"): Escape back to the queue, a to
  // accept this case as a queue's a does — the case as shown decides, the server checks again.
  usePageShortcuts('case', {
    back,
    acceptCase: () => {
      if (!view) return;
      acceptByKey({ t, label: actionLabel(ACCEPT), view, message, modal, onSettled: (v) => (v ? setView(v) : void load()) });
    },
  });
  const shown = view !== null;
  useEffect(() => {
    if (!shown) return;
    // After the page has drawn: the forms' chunk in the background (a failed load is asked again on open).
    const idle = window.setTimeout(
      () =>
        void loadActionForm()
          .then(loadTriageForm)
          .catch(() => undefined),
      300,
    );
    return () => window.clearTimeout(idle);
  }, [shown]);

  // The handlers' current load, read when a form that picks handlers opens (it changes all day).
  useEffect(() => {
    if (!action || !LOAD_FORMS.includes(action)) return;
    let live = true;
    ok(api.GET('/api/v1/directory/load'))
      .then((rows) => live && setLoads(new Map(rows.map((r) => [r.userId, r.openCases]))))
      .catch(() => undefined); // the pickers then show no load
    // Who is away now (absences, issue 10 §3): the pickers tag them, the server refuses them when someone present could take the case.
    ok(api.GET('/api/v1/absences', { params: { query: { active: '1' } } }))
      .then((rows) => live && setAway(new Map(rows.map((r) => [r.userId, r.endsAt]))))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [action]);

  const fields = useMemo(() => (view && action && action !== TRIAGE ? actionFields(action, inputOf(lifecycle, action), { view, policy, staff, t, pick, loads, absence }) : []), [view, action, lifecycle, policy, staff, t, loads, absence]);

  // Empty, not Result: antd's Result carries its three illustrations (~10 KB) for this one line.
  if (missing)
    return (
      <Empty
        style={{ marginTop: 80 }}
        data-testid="case-not-found"
        description={
          <>
            <Typography.Title level={4}>{t('case.notFound')}</Typography.Title>
            <Typography.Text type="secondary">{t('case.notFoundHint')}</Typography.Text>
          </>
        }
      />
    );
  if (!view) return <Spin style={{ display: 'block', marginTop: 80 }} />;
  const c = view.complaint;
  const running = view.clocks.filter((k) => k.status !== 'stopped');
  const resolve = view.clocks.find((k) => k.kind === 'resolve' && k.status !== 'stopped');
  // The triage in one step where the complaint is still to be judged (the specialist's).
  const canTriage = c.kind === 'complaint' && view.allowedActions.includes('judge');
  // Order, primary, danger and panel come with the lifecycle table (domain/lifecycle/ui-hints.ts).
  const actions = actionButtons(lifecycle, view.allowedActions, canTriage);
  // After a 驳回 the handler proposes again: the reason stands beside the new proposal's form.
  const rejection = c.state === 'investigated' && c.proposal ? [...view.timeline].reverse().find((e) => e.action === 'reject' || e.action === 'propose') : undefined;
  const rejectedBecause = rejection?.action === 'reject' ? rejection : undefined;
  // Who may give the customer a portal access code (the server checks the same).
  const mayIssueCode = has('agent') || has('specialist') || has('followup') || (!!me && me.id === c.firstResponderId);
  const visited = [...new Set(view.timeline.map((e) => e.toState).filter((s) => s !== null))];

  const done = (v: CaseView) => {
    const label = action === TRIAGE ? t('triage.action') : actionLabel(action!);
    setAction(null);
    setView(v);
    void message.success(t('case.done', { action: label, state: t(`state.${v.complaint.state}`) }));
  };

  return (
    <>
      <Suspense fallback={null}>
        <CasePrintForm view={view} />
      </Suspense>
      <Space direction="vertical" size={8} style={{ width: '100%' }} className="kesu-case-screen">
        <Card styles={{ body: { padding: 12 } }} data-testid="case-header" data-state={c.state}>
          <Space wrap align="center" size={[8, 4]}>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="case-number">
              {c.number}
            </Typography.Title>
            <StateTag state={c.state} />
            <Tag>{t(`kind.${c.kind}`)}</Tag>
            {c.grade && <Tag color="volcano">{gradeName(c.grade)}</Tag>}
            {c.vicious && <Tag color="red">{t('action.f.vicious')}</Tag>}
            {c.emergency && <Tag color="red">{t('action.f.emergency')}</Tag>}
            <Tag color={c.tier > 1 ? 'red' : 'default'} data-testid="case-tier" data-tier={c.tier}>
              {t('case.tier', { tier: c.tier, name: tierName(c.tier) })}
            </Tag>
            {c.cycle > 1 && (
              <Tag color="orange" data-testid="case-cycle">
                {t('case.cycle', { cycle: c.cycle })}
              </Tag>
            )}
            <Typography.Text strong style={{ maxWidth: 480 }} ellipsis>
              {c.title}
            </Typography.Text>
            {resolve && resolve.status === 'paused' && (
              <span data-testid="case-promise-paused">
                {t('case.promised')}: <Tag color="default">{pausedText(resolve)}</Tag>
              </span>
            )}
            {resolve && resolve.status !== 'paused' && (
              <span>
                {t('case.promised')}: {formatDateTime(resolve.dueAt)} <Countdown dueAt={resolve.dueAt} startedAt={resolve.startedAt} warnAt={resolve.warnAt} breached={!!resolve.breachedAt} />
              </span>
            )}
          </Space>
          <div style={{ float: 'right', marginTop: 8 }}>
            <Space wrap>
              <ToExperienceButton caseId={c.id} state={c.state} />
              <CaseExportButtons caseId={c.id} />
            </Space>
          </div>
          <div style={{ marginTop: 8 }} data-testid="case-actions">
            {actions.length === 0 ? (
              <Typography.Text type="secondary">{t('case.noActions')}</Typography.Text>
            ) : (
              <Space wrap>
                {canTriage && (
                  <Button type="primary" onClick={() => setAction(TRIAGE)} data-testid="action-triage" title={t('triage.hint')}>
                    {t('triage.action')}
                  </Button>
                )}
                {actions.map(({ action: a, primary, danger }) => (
                  <Button key={a} type={primary ? 'primary' : 'default'} danger={danger} onClick={() => setAction(a)} data-testid={`action-${a}`}>
                    {actionLabel(a)}
                  </Button>
                ))}
              </Space>
            )}
          </div>
          {mayIssueCode && c.state !== 'archived' && (
            <div style={{ marginTop: 8 }} data-testid="case-access-code">
              <AccessCodeIssuer caseId={c.id} />
            </div>
          )}
        </Card>

        <CustomerFlags key={`${c.id}-${c.version ?? ''}`} caseId={c.id} malicious={!!c.validity?.malicious} />
        <RelatedCases caseId={c.id} />

        <Row gutter={8}>
          <Col xs={24} lg={14}>
            <Card title={t('case.summary')} styles={{ body: { padding: 8 } }}>
              <Descriptions
                size="small"
                column={TWO_ON_WIDE}
                bordered
                items={[
                  { key: 'channel', label: t('field.channel'), children: t(`channel.${c.channel}`, { defaultValue: c.channel }) },
                  { key: 'received', label: t('field.received'), children: formatDateTime(c.receivedAt) },
                  { key: 'category', label: t('field.category'), children: c.category ? categoryName(c.category) : '—' },
                  { key: 'grade', label: t('field.grade'), children: c.grade ? gradeName(c.grade) : '—' },
                  { key: 'department', label: t('field.department'), children: deptName(c.departmentCode) },
                  { key: 'firstResponder', label: t('field.firstResponder'), children: userName(c.firstResponderId) },
                  { key: 'handler', label: t('action.f.primary'), children: userName(c.primaryHandlerId) },
                  { key: 'backup', label: t('action.f.backup'), children: userName(c.backupHandlerId) },
                  ...(c.coHandlerIds.length ? [{ key: 'co', label: t('action.f.coHandlers'), children: joinList(c.coHandlerIds.map(userName)) }] : []),
                  { key: 'policy', label: t('field.policy'), children: c.policyKey },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 12 }}>
                {t('case.customer')}
              </Typography.Title>
              {c.piiMasked && <Alert type="info" showIcon message={t('case.masked')} style={{ marginBottom: 6 }} />}
              <Descriptions
                size="small"
                column={TWO_ON_WIDE}
                bordered
                data-testid="case-customer"
                items={[
                  { key: 'name', label: t('field.complainantName'), children: c.complainant.anonymous ? t('field.anonymous') : (c.complainant.name ?? '—') },
                  {
                    key: 'phone',
                    label: t('field.phone'),
                    children: c.piiMasked ? <RevealField key={`${c.id}-phone`} caseId={c.id} field="phone" masked={c.complainant.phone} revealable={!!c.piiRevealable} /> : (c.complainant.phone ?? '—'),
                  },
                  {
                    key: 'email',
                    label: t('field.email'),
                    children: c.piiMasked ? <RevealField key={`${c.id}-email`} caseId={c.id} field="email" masked={c.complainant.email} revealable={!!c.piiRevealable} /> : (c.complainant.email ?? '—'),
                  },
                  { key: 'class', label: t('field.customerClass'), children: c.complainant.customerClass ?? '—' },
                  {
                    key: 'address',
                    label: t('field.address'),
                    children: c.piiMasked ? <RevealField key={`${c.id}-address`} caseId={c.id} field="address" masked={c.complainant.address} revealable={!!c.piiRevealable} /> : (c.complainant.address ?? '—'),
                    span: 'filled' as const,
                  },
                  ...(c.complainant.idNumber
                    ? [
                        {
                          key: 'idNumber',
                          label: t('reveal.field.idNumber'),
                          children: c.piiMasked ? <RevealField key={`${c.id}-id`} caseId={c.id} field="idNumber" masked={c.complainant.idNumber} revealable={!!c.piiRevealable} /> : c.complainant.idNumber,
                        },
                      ]
                    : []),
                  {
                    key: 'refs',
                    label: t('case.references'),
                    span: 'filled' as const,
                    children:
                      [c.references.order && `${t('field.order')} ${c.references.order}`, c.references.product && `${t('field.product')} ${c.references.product}`, c.references.plate && `${t('field.plate')} ${c.references.plate}`]
                        .filter(Boolean)
                        .join(' · ') || '—',
                  },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 12 }}>
                {t('case.complaint')}
              </Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="case-description">
                <MarkedDescription text={c.description} />
              </Typography.Paragraph>
              <Descriptions
                size="small"
                column={1}
                bordered
                items={[
                  {
                    key: 'demands',
                    label: t('field.demands'),
                    children: [joinList(c.demands.types.map((d) => t(`demand.${d}`))), c.demands.amount !== undefined ? formatMoney(c.demands.amount) : '', c.demands.text ?? ''].filter(Boolean).join(' · ') || '—',
                  },
                  {
                    key: 'subject',
                    label: t('case.subject'),
                    children: [deptName(c.subject.departmentCode ?? null) !== '—' ? deptName(c.subject.departmentCode) : '', joinList(c.subject.employeeIds.map(userName)), c.subject.description ?? ''].filter(Boolean).join(' · ') || '—',
                  },
                  ...(c.validity
                    ? [
                        {
                          key: 'validity',
                          label: t('case.validity'),
                          children: c.validity.valid ? t('action.f.validYes') : `${t('action.f.validNo')}：${reasonName(c.validity.reason)}${c.validity.malicious ? `（${t('action.f.malicious')}）` : ''} — ${c.validity.explanation ?? ''}`,
                        },
                      ]
                    : []),
                  ...(c.findings
                    ? [
                        {
                          key: 'findings',
                          label: t('case.findings'),
                          children: `${c.findings.facts} / ${c.findings.cause} / ${t(`responsibility.${c.findings.responsibility.type}`)}${c.findings.responsibility.departmentCode ? ` ${deptName(c.findings.responsibility.departmentCode)}` : ''}`,
                        },
                      ]
                    : []),
                  ...(c.proposal
                    ? [
                        {
                          key: 'proposal',
                          label: t('case.proposal'),
                          children: `${joinList(c.proposal.solutions.map((s) => t(`solution.${s}`)))} · ${formatMoney(c.proposal.amount)} · ${c.proposal.description}${c.proposal.requiredLevel ? ` · ${t('case.needsLevel', { level: levelName(c.proposal.requiredLevel) })}` : ''}`,
                        },
                      ]
                    : []),
                  ...(c.answer ? [{ key: 'answer', label: t('case.answer'), children: `${c.answer.text}（${t(`method.${c.answer.method}`)}${c.answer.written ? `，${t('action.f.written')}` : ''}）` }] : []),
                  ...(c.followUp.satisfaction || c.followUp.attempts
                    ? [
                        {
                          key: 'followUp',
                          label: t('case.followUp'),
                          children: `${c.followUp.satisfaction ? t(`satisfaction.${c.followUp.satisfaction}`) : t('action.f.reachedNo')} · ${t('case.attempts', { count: c.followUp.attempts })}${c.followUp.comment ? ` · ${c.followUp.comment}` : ''}`,
                        },
                      ]
                    : []),
                  ...(c.pendingReason ? [{ key: 'pending', label: t('state.pending'), children: c.pendingReason }] : []),
                  ...(c.extensionRequest ? [{ key: 'ext', label: t('case.extensionRequest'), children: `${formatPolicyDuration(c.extensionRequest.duration)} · ${c.extensionRequest.reason}` }] : []),
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title={t('case.deadlines')} styles={{ body: { padding: 8 } }}>
              <ClockTable clocks={view.clocks} />
              {running.length === 0 && <Typography.Text type="secondary">{t('case.noRunningClock')}</Typography.Text>}
            </Card>
            <Card title={t('case.timeline')} styles={{ body: { padding: '12px 8px 0', maxHeight: 420, overflow: 'auto' } }} style={{ marginTop: 8 }}>
              <Timeline
                data-testid="case-timeline"
                items={view.timeline.map((e) => ({
                  color: e.action === 'reject' || e.action === 'breach' || e.action === 'urge' ? 'red' : e.toState === 'closed' || e.toState === 'archived' ? 'green' : 'blue',
                  children: <EventLine e={e} />,
                }))}
              />
            </Card>
            <Suspense fallback={null}>
              <AttachmentsPanel view={view} onChanged={setView} />
            </Suspense>
            <CaseDuties key={c.id} caseId={c.id} version={c.version} files={view.attachments} />
          </Col>
        </Row>
        <Card title={t('case.flowchart')} styles={{ body: { padding: 4 } }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: 24 }} />}>
            <Flowchart lifecycle={lifecycle} kind={c.kind} current={c.state} visited={visited} />
          </Suspense>
        </Card>

        <Modal open={action === TRIAGE} title={`${t('triage.title')} · ${c.number}`} footer={null} onCancel={() => setAction(null)} destroyOnHidden width={760}>
          {action === TRIAGE && (
            <Suspense fallback={formLoading}>
              <TriageForm view={view} loads={loads} absence={absence} onDone={done} onCancel={() => setAction(null)} />
            </Suspense>
          )}
        </Modal>
        <Modal open={!!action && action !== TRIAGE} title={action ? `${actionLabel(action)} · ${c.number}` : ''} footer={null} onCancel={() => setAction(null)} destroyOnHidden width={640}>
          {action && (fields.length ? null : <Typography.Paragraph>{t('case.confirmAction', { action: actionLabel(action) })}</Typography.Paragraph>)}
          {action === 'propose' && rejectedBecause && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="propose-rejection"
              message={t('case.rejectedBecause', { name: rejectedBecause.actorName, at: formatDateTime(rejectedBecause.at) })}
              description={<span style={{ whiteSpace: 'pre-wrap' }}>{String((rejectedBecause.data?.input as { comment?: string } | undefined)?.comment ?? '')}</span>}
            />
          )}
          {action && action !== TRIAGE && (
            <Suspense fallback={formLoading}>
              <ActionForm caseId={c.id} action={action} fields={fields} onDone={done} onCancel={() => setAction(null)} submitLabel={actionLabel(action)} />
            </Suspense>
          )}
        </Modal>
        {policy === null && <Empty />}
      </Space>
    </>
  );

  /** "已暂停，剩余 1.5 个工作日" — a paused clock's time left as the server counted it (no due time while paused). */
  function pausedText(k: Clock): string {
    if (!k.remaining) return t('clock.paused');
    if (k.remaining.parts.length === 0) return t('clock.pausedNoneLeft');
    return t('clock.pausedLeft', { left: pick(k.remaining.text) });
  }

  /** A clock's name: a rule clock's from the policy (clockRules[].name), a built-in one's from the catalogue. */
  function clockName(k: Pick<Clock, 'kind' | 'name'>): string {
    return lk.clockName(k.kind, k.name);
  }

  function ClockTable({ clocks }: { clocks: Clock[] }) {
    const lang = currentLocale();
    // A computed due time carries its explanation in words (fixed and chained ones do not).
    const explained = (k: Clock) => (k.explanation && 'text' in k.explanation ? k.explanation.text[lang] : undefined);
    // On a phone the clocks are two columns — the clock (name, state, due time stacked) and its
    // time left — so nothing is cut off at the card's edge (four columns need ~450 px).
    const wide = Grid.useBreakpoint().md ?? true;
    const name = clockName;
    const status = (k: Clock) => (
      <>
        {k.breachedAt ? <Tag color="error">{t('clock.breached')}</Tag> : t(`clock.${k.status}`)}
        {k.customerUnreachableAt && (
          <Tag style={{ marginInlineStart: 4 }} data-testid={`clock-unreachable-${k.kind}`}>
            {t('clock.customerUnreachable')}
          </Tag>
        )}
      </>
    );
    return (
      <Table<Clock>
        size="small"
        rowKey="kind"
        pagination={false}
        dataSource={clocks.filter((k) => !k.kind.startsWith('grade_rise') || k.status !== 'stopped')}
        data-testid="case-clocks"
        data-form={wide ? 'table' : 'stacked'}
        columns={[
          ...(wide
            ? [
                { title: t('clock.kind'), dataIndex: 'kind', width: 96, render: (_: string, k: Clock) => name(k) },
                { title: t('clock.status'), dataIndex: 'status', width: 70, render: (_: string, k: Clock) => status(k) },
                { title: t('clock.due'), dataIndex: 'dueAt', width: 120, render: (d: string | null, k: Clock) => <span title={explained(k) ?? ''}>{formatDateTime(d)}</span> },
              ]
            : [
                {
                  title: t('clock.kind'),
                  dataIndex: 'kind',
                  render: (_: string, k: Clock) => (
                    <div style={{ overflowWrap: 'anywhere' }}>
                      {name(k)} <span style={{ whiteSpace: 'nowrap' }}>· {status(k)}</span>
                      <div style={{ fontSize: 12, color: '#595959' }} title={explained(k) ?? ''}>
                        {t('clock.due')} {formatDateTime(k.dueAt)}
                      </div>
                    </div>
                  ),
                },
              ]),
          {
            title: t('field.timeLeft'),
            key: 'left',
            render: (_: unknown, k) =>
              k.status === 'stopped' ? (
                k.stoppedAt ? (
                  `${t('clock.stoppedAt')} ${formatDateTime(k.stoppedAt)}`
                ) : (
                  '—'
                )
              ) : k.status === 'paused' ? (
                <Tag data-testid={`clock-paused-${k.kind}`}>{pausedText(k)}</Tag>
              ) : (
                <Countdown dueAt={k.dueAt} warnAt={k.warnAt} startedAt={k.startedAt} breached={!!k.breachedAt} />
              ),
          },
        ]}
        expandable={{
          expandedRowRender: (k) => (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {explained(k) ?? '—'}
            </Typography.Text>
          ),
          rowExpandable: (k) => !!explained(k),
        }}
      />
    );
  }

  function EventLine({ e }: { e: TimelineEvent }) {
    const input = (e.data?.input ?? {}) as Record<string, any>;
    const details: string[] = [];
    if (input.comment) details.push(`“${input.comment}”`);
    if (input.reason) details.push(reasonName(input.reason) !== input.reason ? reasonName(input.reason) : input.reason);
    if (input.explanation) details.push(input.explanation);
    if (e.action === 'contact_failed' && input.method) details.push(t(`method.${input.method}`));
    if (input.text) details.push(input.text);
    if (input.note) details.push(input.note);
    if (Array.isArray(e.data?.attachments) && e.data.attachments.length) details.push(t('attachments.inEvent', { names: joinList((e.data.attachments as { name: string }[]).map((f) => f.name)) }));
    if (input.satisfaction) details.push(t(`satisfaction.${input.satisfaction}`));
    if (input.reached === false) details.push(t('action.f.reachedNo'));
    if (input.amount !== undefined && e.action === 'propose') details.push(formatMoney(input.amount));
    if (input.description && e.action === 'propose') details.push(input.description);
    if (e.action === 'route' || e.action === 'reroute') details.push(`${deptName(input.departmentCode)} · ${userName(input.primaryHandlerId)}${input.backupHandlerId ? ` / ${userName(input.backupHandlerId)}` : ''}`);
    if (e.action === 'follow_up' && e.data?.tier && e.toState === 'investigating') details.push(t('case.backOneTier', { tier: e.data.tier, name: tierName(Number(e.data.tier)) }));
    for (const r of (e.data?.unreachable as { retimed?: { clock: string; dueAt: string | null }[] } | undefined)?.retimed ?? [])
      details.push(t('clock.unreachableRetimed', { clock: clockName(view?.clocks.find((k) => k.kind === r.clock) ?? { kind: r.clock }), due: formatDateTime(r.dueAt) }));
    if (e.action === 'breach' && e.data?.tier) details.push(t('case.tier', { tier: e.data.tier, name: tierName(Number(e.data.tier)) }));
    // Graded and flagged (classify): the grade and the 紧急 / 恶性 flags that set the case's limits.
    if (e.action === 'classify') {
      if (input.grade) details.push(gradeName(String(e.data?.grade ?? input.grade)));
      const flags = (['emergency', 'vicious'] as const).filter((f) => input[f] === true).map((f) => t(`action.f.${f}`));
      if (flags.length) details.push(t('case.flags', { flags: joinList(flags) }));
    }
    // A rule clock whose limit the grade or a flag changed, and a promise the transition moved (the customer is told).
    for (const r of (e.data?.clockRules as { retimed?: { clock: string; limit: string; dueAt: string | null }[] } | undefined)?.retimed ?? [])
      details.push(t('case.ruleClockRetimed', { clock: lk.clockName(r.clock, view?.clocks.find((k) => k.kind === r.clock)?.name), limit: formatPolicyDuration(r.limit), due: r.dueAt ? formatDateTime(r.dueAt) : '—' }));
    const promise = e.data?.promise as { from: string; to: string } | undefined;
    const resolveShown = e.action === 'recalculate_clocks' || ((e.data?.unreachable as { retimed?: { clock: string }[] } | undefined)?.retimed ?? []).some((r) => r.clock === 'resolve');
    if (promise && !resolveShown) details.push(t('case.promiseMoved', { from: formatDateTime(promise.from), to: formatDateTime(promise.to) }));
    // A holiday list changed (issue 10 §5): each moved clock's due time before and after.
    if (e.action === 'recalculate_clocks' && Array.isArray(e.data?.clocks))
      for (const m of e.data.clocks as { clock: string; from: { dueAt: string | null }; to: { dueAt: string | null } }[]) {
        const k = view?.clocks.find((x) => x.kind === m.clock);
        const clock = lk.clockName(m.clock, k?.name);
        details.push(t('case.clockRecalculated', { region: input.region, clock, from: m.from.dueAt ? formatDateTime(m.from.dueAt) : '—', to: m.to.dueAt ? formatDateTime(m.to.dueAt) : '—' }));
      }
    // Only the missing-holiday-data flag cleared (nothing moved): which clock now counts on which year's list.
    if (e.action === 'recalculate_clocks' && Array.isArray(e.data?.holidayData))
      for (const h of e.data.holidayData as { clock: string; missingHolidayYears: { from: number[]; to: number[] } }[]) {
        const k = view?.clocks.find((x) => x.kind === h.clock);
        const years = h.missingHolidayYears.from.filter((y) => !h.missingHolidayYears.to.includes(y));
        details.push(t('case.holidayDataSupplied', { region: input.region, clock: lk.clockName(h.clock, k?.name), years: joinList(years.map(String)) }));
      }
    return (
      <div data-action={e.action ?? e.type} className="timeline-event">
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDateTime(e.at)} · {e.actorName}
        </Typography.Text>
        <div>
          <b>{e.action === 'receive' ? t('case.received') : e.action ? actionLabel(e.action) : t(`eventType.${e.type}`, { defaultValue: e.type })}</b>
          {e.fromState !== e.toState && e.toState && <Typography.Text type="secondary"> → {t(`state.${e.toState}`)}</Typography.Text>}
        </div>
        {details.length > 0 && <div style={{ fontSize: 12 }}>{details.join(' · ')}</div>}
      </div>
    );
  }
}
