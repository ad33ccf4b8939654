/**
 * Editing the policy in forms (issue 14 §10): a draft of the active version, edited section by
 * section; every change is checked by the server (POST /api/v1/policy/check — the same reader as
 * `kesu policy check`) a moment after typing stops, and its problems appear under their fields.
 * "Review changes" lists the draft against the active version field by field (old → new); publish
 * stores it under a new version label and activates it. Below: the version history (who published
 * what, when). The YAML upload on the policy tab stays for power users.
 */
import { Alert, App, Badge, Button, Card, Form, Input, Modal, Space, Spin, Table, Tabs, Tag, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, newIdempotencyKey, ok, type PolicyProblem, type PolicyVersionEntry } from '../../api/client';
import { useLookups } from '../../app/session';
import { formatDateTime, formatPolicyDuration } from '../../shared/format';
import { pick } from '../../i18n';
import { diff, getIn, nextLabel, setIn, type Change, type Doc, type Path } from './policy-draft';
import { DraftContext, problemsBelow, type DraftApi } from './policy-fields';
import { ApprovalSection, CategoriesSection, EscalationSection, FollowUpSection, GradesSection, MessagesSection } from './policy-sections';
import { CalendarSection } from './policy-calendar';
import { ExtensionSection, FlagsSection, GradeRiseSection, ScriptsSection, ValiditySection } from './policy-rules';
import { useUnpublishedGuard } from './useUnpublishedGuard';

type Version = PolicyVersionEntry;

/** The sections, the top-level fields each edits (for the problem badges and the summary links). */
const SECTIONS = [
  { key: 'grades', fields: ['grades'], Body: GradesSection },
  { key: 'categories', fields: ['categories', 'routing'], Body: CategoriesSection },
  { key: 'extension', fields: ['extension'], Body: ExtensionSection },
  { key: 'validity', fields: ['validity'], Body: ValiditySection },
  { key: 'gradeRise', fields: ['gradeRise'], Body: GradeRiseSection },
  { key: 'flags', fields: ['flags'], Body: FlagsSection },
  { key: 'scripts', fields: ['scripts'], Body: ScriptsSection },
  { key: 'followUp', fields: ['followUp', 'unsatisfied'], Body: FollowUpSection },
  { key: 'escalation', fields: ['escalation'], Body: EscalationSection },
  { key: 'approval', fields: ['approval'], Body: ApprovalSection },
  { key: 'messages', fields: ['messages'], Body: MessagesSection },
] as const;

const CHECK_DELAY_MS = 400;
const DURATION = /^\d+(?:\.\d+)?(?:m|h|d|w|wd|wh)$/;

/** The calendar's tab (its form also opens the holiday calendar tab, so it is not one of SECTIONS). */
const CALENDAR = { key: 'calendar', fields: ['calendar'] } as const;

function sectionOf(path: string): string | undefined {
  const top = /^[A-Za-z_]+/.exec(path)?.[0];
  return [...SECTIONS, CALENDAR].find((s) => (s.fields as readonly string[]).includes(top ?? ''))?.key;
}

/**
 * `onOpenCalendar`: the holiday calendar tab (the admin page asks before it drops a draft);
 * `onChanges`: how many unpublished changes the draft holds, for the admin page's tabs.
 */
export function PolicyEditor({ onOpenCalendar, onChanges }: { onOpenCalendar: () => void; onChanges?: (n: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { policy, reload } = useLookups();
  const activeKey = policy ? `${policy.id}@${policy.version}` : null;
  const [baseKey, setBaseKey] = useState<string | null>(null);
  const [draft, setDraft] = useState<Doc | null>(null);
  const [problems, setProblems] = useState<PolicyProblem[]>([]);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [tab, setTab] = useState<string>('grades');
  const [reviewing, setReviewing] = useState(false);
  const [history, setHistory] = useState<Version[] | null>(null);
  const seq = useRef(0);

  // A new active version (published here, uploaded, a department edit) starts a new draft.
  if (policy && activeKey !== baseKey) {
    setBaseKey(activeKey);
    setDraft(structuredClone(policy) as unknown as Doc);
    setProblems([]);
  }

  const loadHistory = useCallback(async () => {
    const r = await ok(api.GET('/api/v1/policy/versions'));
    setHistory(r.versions);
  }, []);
  useEffect(() => {
    void loadHistory();
  }, [loadHistory, activeKey]);

  const changes = useMemo<Change[]>(() => (policy && draft ? diff(policy, draft) : []), [policy, draft]);
  useUnpublishedGuard(changes.length);
  useEffect(() => {
    onChanges?.(changes.length);
  }, [onChanges, changes.length]);
  useEffect(
    () => () => {
      onChanges?.(0);
    },
    [onChanges],
  );

  // The live check: the whole draft, a moment after the last change; an older answer is ignored.
  useEffect(() => {
    if (!draft || changes.length === 0) {
      seq.current += 1;
      setProblems([]);
      setChecking(false);
      return;
    }
    const n = ++seq.current;
    setChecking(true);
    const timer = setTimeout(() => {
      void (async () => {
        try {
          const r = await ok(api.POST('/api/v1/policy/check', { body: { text: JSON.stringify(draft), format: 'json' } }));
          if (n !== seq.current) return;
          setProblems(r.problems);
          setCheckError(null);
        } catch (e) {
          if (n === seq.current) setCheckError((e as Error).message);
        } finally {
          if (n === seq.current) setChecking(false);
        }
      })();
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft, changes.length]);

  const draftApi = useMemo<DraftApi | null>(() => (draft ? { draft, problems, set: (path: Path, value: unknown) => setDraft((d) => setIn(d, path, value)) } : null), [draft, problems]);
  if (!policy || !draft || !draftApi) return <Card loading />;

  const clean = !checking && !checkError && problems.length === 0;
  // The calendar is another tab: the admin page asks before leaving this one drops the draft.
  const openCalendar = onOpenCalendar;
  return (
    <DraftContext.Provider value={draftApi}>
      <Card size="small" data-testid="policy-editor" title={<span style={{ whiteSpace: 'normal' }}>{t('policyEditor.title', { key: activeKey })}</span>}>
        <Space wrap style={{ marginBottom: 8 }}>
          <Badge count={changes.length} size="small" color="blue">
            <Button type="primary" disabled={changes.length === 0 || !clean} onClick={() => setReviewing(true)} data-testid="pe-review">
              {t('policyEditor.review')}
            </Button>
          </Badge>
          <Button disabled={changes.length === 0} onClick={() => setDraft(structuredClone(policy) as unknown as Doc)} data-testid="pe-discard">
            {t('policyEditor.discard')}
          </Button>
        </Space>
        <div data-testid="pe-status" data-state={changes.length === 0 ? 'unchanged' : checking ? 'checking' : checkError ? 'error' : problems.length ? 'problems' : 'valid'} style={{ marginBottom: 8 }}>
          {changes.length === 0 ? (
            <Typography.Text type="secondary">{t('policyEditor.unchanged')}</Typography.Text>
          ) : checking ? (
            <Space>
              <Spin size="small" />
              <Typography.Text type="secondary">{t('policyEditor.checking')}</Typography.Text>
            </Space>
          ) : checkError ? (
            <Alert type="warning" showIcon message={checkError} />
          ) : problems.length ? (
            <Alert
              type="error"
              showIcon
              data-testid="pe-problems"
              message={t('policyEditor.problems', { count: problems.length })}
              description={
                <ul style={{ margin: 0, paddingLeft: 16 }}>
                  {problems.map((p, i) => {
                    const s = sectionOf(p.path);
                    return (
                      <li key={i}>
                        {s ? (
                          <Typography.Link onClick={() => setTab(s)}>
                            <code>{p.path || '—'}</code>
                          </Typography.Link>
                        ) : (
                          <code>{p.path || '—'}</code>
                        )}{' '}
                        — {pick(p.message)}
                      </li>
                    );
                  })}
                </ul>
              }
            />
          ) : (
            <Typography.Text type="success">
              <CheckCircleOutlined /> {t('policyEditor.valid', { count: changes.length })}
            </Typography.Text>
          )}
        </div>
        <Form layout="vertical" component={false}>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            size="small"
            items={[
              ...SECTIONS.map(({ key, fields, Body }) => {
                const n = fields.reduce((sum, f) => sum + problemsBelow(problems, [f]), 0);
                return {
                  key,
                  label: (
                    <span data-testid={`pe-tab-${key}`}>
                      {t(`policyEditor.section.${key}`)}
                      {n > 0 && <Badge count={n} size="small" style={{ marginInlineStart: 4 }} />}
                    </span>
                  ),
                  children: <Body />,
                };
              }),
              {
                key: CALENDAR.key,
                label: (() => {
                  const n = problemsBelow(problems, [...CALENDAR.fields]);
                  return (
                    <span data-testid="pe-tab-calendar">
                      {t('policyEditor.section.calendar')}
                      {n > 0 && <Badge count={n} size="small" style={{ marginInlineStart: 4 }} />}
                    </span>
                  );
                })(),
                children: <CalendarSection onOpenCalendar={openCalendar} />,
              },
            ]}
          />
        </Form>
      </Card>
      {reviewing && (
        <ReviewDialog
          changes={changes}
          draft={draft}
          basedOn={activeKey!}
          version={policy.version}
          used={(history ?? []).map((v) => v.version)}
          onClose={() => setReviewing(false)}
          onPublished={async (key) => {
            setReviewing(false);
            void message.success(t('policyEditor.published', { key }));
            await reload();
            await loadHistory();
          }}
        />
      )}
      <PolicyHistory versions={history} />
    </DraftContext.Provider>
  );
}

/** A value of the diff, readable: durations in words, departments by name, yes/no, other values as written. */
function useShow(draft: Doc) {
  const { t } = useTranslation();
  const departments = (Array.isArray(draft.departments) ? draft.departments : []) as { code: string; name: Record<string, string> }[];
  return (v: unknown, path: string) => {
    if (v === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
    if (typeof v === 'string' && /(?:^|\.)(?:department|majorDepartment)$/.test(path)) {
      const d = departments.find((x) => x.code === v);
      return d ? `${pick(d.name)} (${v})` : v;
    }
    if (typeof v === 'string') return DURATION.test(v) ? `${formatPolicyDuration(v)} (${v})` : v;
    if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
    if (typeof v === 'number') return String(v);
    return <code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', fontSize: 12 }}>{JSON.stringify(v)}</code>;
  };
}

/** Where a change is, in words: the section and the named item (grade, category, …) it belongs to. */
function useWhere(draft: Doc, base: Doc) {
  const { t } = useTranslation();
  return (path: string) => {
    const m = /^([A-Za-z_]+)(?:\[(\d+)\])?/.exec(path);
    if (!m) return '';
    const section = sectionOf(path);
    const item = m[2] !== undefined ? ((getIn(draft, [m[1]!, Number(m[2])]) ?? getIn(base, [m[1]!, Number(m[2])])) as { name?: Record<string, string> } | undefined) : undefined;
    const clock = /\.limits\.([a-z_]+)$/.exec(path)?.[1];
    return [section ? t(`policyEditor.section.${section}`) : '', item?.name ? pick(item.name) : '', clock ? t(`clockKind.${clock}`) : ''].filter(Boolean).join(' · ');
  };
}

function ReviewDialog({ changes, draft, basedOn, version, used, onClose, onPublished }: { changes: Change[]; draft: Doc; basedOn: string; version: string; used: string[]; onClose: () => void; onPublished: (key: string) => Promise<void> }) {
  const { t } = useTranslation();
  const { policy } = useLookups();
  const show = useShow(draft);
  const where = useWhere(draft, policy as unknown as Doc);
  const [label, setLabel] = useState(() => nextLabel(version, used));
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const publish = async () => {
    setBusy(true);
    setErrors([]);
    try {
      const r = await ok(api.POST('/api/v1/policy/publish', { params: { header: { 'idempotency-key': key.current } }, body: { document: { ...draft, version: label }, basedOn } }));
      key.current = newIdempotencyKey();
      await onPublished(r.key);
    } catch (e) {
      if (e instanceof ApiError) key.current = newIdempotencyKey();
      setErrors(e instanceof ApiError && e.fields.length ? e.fields : [{ path: '', message: (e as Error).message }]);
    } finally {
      setBusy(false);
    }
  };
  const labelError = errors.find((e) => e.path === 'document.version');
  return (
    <Modal
      open
      width={960}
      title={t('policyEditor.reviewTitle', { count: changes.length, key: basedOn })}
      onCancel={onClose}
      footer={[
        <Button key="back" onClick={onClose}>
          {t('policyEditor.backToForms')}
        </Button>,
        <Button key="publish" type="primary" loading={busy} disabled={!label.trim()} onClick={() => void publish()} data-testid="pe-publish">
          {t('policyEditor.publish')}
        </Button>,
      ]}
    >
      <Table
        size="small"
        rowKey="path"
        pagination={false}
        scroll={{ x: true, y: 360 }}
        dataSource={changes}
        data-testid="pe-diff"
        onRow={(c) => ({ 'data-testid': 'pe-change', 'data-path': c.path }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: t('policyEditor.field'),
            key: 'path',
            render: (_: unknown, c: Change) => (
              <div>
                <div>{where(c.path)}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <code>{c.path}</code>
                </Typography.Text>
              </div>
            ),
          },
          { title: t('policyEditor.before'), key: 'before', render: (_: unknown, c: Change) => <span data-testid="pe-before">{show(c.before, c.path)}</span> },
          { title: t('policyEditor.after'), key: 'after', render: (_: unknown, c: Change) => <span data-testid="pe-after">{show(c.after, c.path)}</span> },
        ]}
      />
      <div style={{ marginTop: 12 }}>
        <label htmlFor="pe-version-label">
          <Typography.Text strong>{t('policyEditor.versionLabel')}</Typography.Text>
        </label>
        <Input id="pe-version-label" value={label} onChange={(e) => setLabel(e.target.value.trim())} status={labelError ? 'error' : undefined} style={{ maxWidth: 320, display: 'block', marginTop: 4 }} />
        <Typography.Text type={labelError ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {labelError ? labelError.message : t('policyEditor.versionHint')}
        </Typography.Text>
      </div>
      {errors.filter((e) => e !== labelError).length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          data-testid="pe-publish-error"
          message={
            <ul style={{ margin: 0, paddingLeft: 16 }}>
              {errors
                .filter((e) => e !== labelError)
                .map((e, i) => (
                  <li key={i}>
                    {e.path && <code>{e.path}</code>} {e.message}
                  </li>
                ))}
            </ul>
          }
        />
      )}
    </Modal>
  );
}

function PolicyHistory({ versions }: { versions: Version[] | null }) {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('policyEditor.history')} style={{ marginTop: 8 }}>
      <Table
        size="small"
        rowKey="key"
        loading={!versions}
        dataSource={versions ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        scroll={{ x: true }}
        data-testid="pe-history"
        columns={[
          {
            title: t('policyEditor.version'),
            dataIndex: 'key',
            render: (k: string, v: Version) => (
              <Space size={4}>
                <code>{k}</code>
                {v.active && (
                  <Tag color="success" data-testid="pe-history-active">
                    {t('policyEditor.active')}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('policyEditor.publishedBy'),
            key: 'by',
            render: (_: unknown, v: Version) => (v.publishedBy ? `${v.publishedBy.name} (${v.publishedBy.username})` : <Typography.Text type="secondary">{t('policyEditor.system')}</Typography.Text>),
          },
          { title: t('policyEditor.publishedAt'), key: 'at', render: (_: unknown, v: Version) => formatDateTime(v.publishedAt ?? v.createdAt) },
          { title: t('policyEditor.via'), dataIndex: 'via', render: (via: Version['via']) => t(`policyEditor.viaKind.${via ?? 'system'}`) },
        ]}
      />
    </Card>
  );
}
