/**
 * A queue: the cases of one worklist, with the time left on the running clock, sortable and
 * filterable columns, saved filters (kept in this browser, per user), live updates, and the
 * keyboard (j / k, Enter, a: ./useQueueKeys.ts).
 */
import { Button, Card, Input, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography, App } from 'antd';
import { ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, listQuery, ok, type ListFilter, type ListRow } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { useCaseChanges } from '../../app/live';
import { Countdown } from '../../shared/Countdown';
import { formatDateTime } from '../../shared/format';
import { StateTag } from '../../shared/StateTag';
import { QUEUES } from './queues';
import { BulkActions } from './BulkActions';
import { applyToEach } from './bulk';
import { pick } from '../../i18n';
import { useQueueKeys } from './useQueueKeys';
import './queue.css';

interface Filters {
  state?: string[];
  grade?: string[];
  kind?: string[];
  channel?: string[];
  department?: string[];
  overdue?: boolean;
  text?: string;
}
interface SavedFilter {
  name: string;
  queue: string;
  filters: Filters;
}

const savedKey = (userId: string) => `kesu.filters.${userId}`;
function loadSaved(userId: string): SavedFilter[] {
  try {
    return JSON.parse(localStorage.getItem(savedKey(userId)) ?? '[]') as SavedFilter[];
  } catch {
    return [];
  }
}

export function QueuePage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { queue = 'all' } = useParams();
  const { me } = useSession();
  const { policy, lifecycle, userName, deptName, gradeName, clockName } = useLookups();
  const def = QUEUES.find((q) => q.key === queue) ?? QUEUES[QUEUES.length - 1]!;
  const [filters, setFilters] = useState<Filters>({});
  const [rows, setRows] = useState<ListRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [saved, setSaved] = useState<SavedFilter[]>(() => (me ? loadSaved(me.id) : []));
  const [selected, setSelected] = useState<string[]>([]);
  // People who act on others' cases get the bulk bar (agents and overseers only read queues).
  const bulk = !!me && (me.managerOf.length > 0 || me.roles.some((r) => ['specialist', 'handler', 'approver', 'followup'].includes(r)));
  // 催办 (issue 14): the lifecycle's `urge` says who and from which states; the server checks it again per case.
  const urgeSpec = lifecycle?.actions.find((a) => a.name === 'urge');
  const mayUrge = !!me && !!urgeSpec && (me.managerOf.length > 0 || me.roles.includes('approver'));
  const urgeable = (r: ListRow) => mayUrge && !!r.primaryHandlerId && r.primaryHandlerId !== me?.id && !!(urgeSpec?.from as Record<string, string[] | undefined> | undefined)?.[r.kind]?.includes(r.state);
  const [urging, setUrging] = useState<ListRow | null>(null);
  const [urgeText, setUrgeText] = useState('');
  const urge = async () => {
    const row = urging!;
    const [r] = await applyToEach([row], 'urge', { comment: urgeText.trim() || undefined });
    setUrging(null);
    setUrgeText('');
    if (r?.ok) void message.success(t('urge.done', { number: row.number }));
    else void message.error(r?.reason ?? '');
    void load();
  };

  const params = useCallback(
    (extra: ListFilter = {}) => {
      const base = def.filter(me!);
      // A user filter narrows the queue's own filter; it never widens it.
      const narrow = (key: 'state' | 'department', chosen?: string[]) => {
        const fixed = base[key];
        if (!chosen?.length) return fixed;
        if (!fixed) return chosen;
        const allowed = Array.isArray(fixed) ? fixed : [fixed];
        const both = chosen.filter((x) => allowed.includes(x));
        return both.length ? both : ['__none__'];
      };
      return listQuery({
        ...base,
        state: narrow('state', filters.state),
        grade: filters.grade,
        kind: filters.kind,
        channel: filters.channel,
        department: narrow('department', filters.department),
        overdue: filters.overdue ? 'true' : base.overdue,
        text: filters.text?.trim() || undefined,
        limit: 100,
        ...extra,
      });
    },
    [def, me, filters],
  );

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const r = await ok(api.GET('/api/v1/complaints', { params: { query: params() } }));
      setRows(r.items);
      setCursor(r.nextCursor);
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [params, message]);
  const more = async () => {
    if (!cursor) return;
    const r = await ok(api.GET('/api/v1/complaints', { params: { query: params({ cursor }) } }));
    setRows((x) => [...x, ...r.items]);
    setCursor(r.nextCursor);
  };
  useEffect(() => {
    void load();
  }, [load]);
  // Another queue starts unfiltered; keeping the same empty object on the first render saves a second list request.
  useEffect(() => setFilters((f) => (Object.keys(f).length ? {} : f)), [queue]);
  // A selection is of the rows on screen: a new list (reload, another queue) starts without one.
  useEffect(() => setSelected((ids) => ids.filter((id) => rows.some((r) => r.id === id))), [rows]);
  useCaseChanges(() => void load());
  const loc = useLocation();
  const tableBox = useRef<HTMLDivElement>(null);
  const keys = useQueueKeys(
    queue,
    rows,
    useCallback(() => tableBox.current, []),
    () => void load(),
  );

  const saveFilter = () => {
    let name = '';
    modal.confirm({
      title: t('queue.saveFilter'),
      content: <Input autoFocus placeholder={t('queue.filterName')} onChange={(e) => (name = e.target.value)} data-testid="filter-name" />,
      onOk: () => {
        if (!name.trim() || !me) return;
        const next = [...saved.filter((s) => !(s.name === name.trim() && s.queue === queue)), { name: name.trim(), queue, filters }];
        setSaved(next);
        localStorage.setItem(savedKey(me.id), JSON.stringify(next));
      },
    });
  };
  const removeFilter = (f: SavedFilter) => {
    const next = saved.filter((s) => s !== f);
    setSaved(next);
    if (me) localStorage.setItem(savedKey(me.id), JSON.stringify(next));
  };

  const stateOptions = useMemo(() => (lifecycle?.states ?? []).map((s) => ({ value: s, label: t(`state.${s}`) })), [lifecycle, t]);
  const cmp = (a: string | null | undefined, b: string | null | undefined) => (a ?? '').localeCompare(b ?? '');

  return (
    <Card
      title={
        <Space>
          {t(`queue.${def.key}`)}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t(`queueHint.${def.key}`)}
          </Typography.Text>
        </Space>
      }
      extra={<Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t('common.reload')} />}
      styles={{ body: { padding: 8 } }}
    >
      <Space wrap style={{ marginBottom: 8 }} data-testid="queue-filters">
        <Input.Search
          allowClear
          placeholder={t('queue.search')}
          aria-label={t('queue.search')}
          data-shortcut="search"
          style={{ width: 200 }}
          value={filters.text}
          onChange={(e) => setFilters({ ...filters, text: e.target.value })}
          onSearch={() => void load()}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('field.state')}
          aria-label={t('field.state')}
          style={{ minWidth: 140 }}
          maxTagCount={1}
          value={filters.state}
          onChange={(v) => setFilters({ ...filters, state: v })}
          options={stateOptions}
          optionFilterProp="label"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('field.grade')}
          aria-label={t('field.grade')}
          style={{ minWidth: 110 }}
          maxTagCount={1}
          value={filters.grade}
          onChange={(v) => setFilters({ ...filters, grade: v })}
          options={(policy?.grades ?? []).map((g) => ({ value: g.code, label: pick(g.name) }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('field.kind')}
          aria-label={t('field.kind')}
          style={{ minWidth: 100 }}
          maxTagCount={1}
          value={filters.kind}
          onChange={(v) => setFilters({ ...filters, kind: v })}
          options={['complaint', 'inquiry', 'suggestion'].map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('field.channel')}
          aria-label={t('field.channel')}
          style={{ minWidth: 100 }}
          maxTagCount={1}
          value={filters.channel}
          onChange={(v) => setFilters({ ...filters, channel: v })}
          options={(policy?.channels ?? []).map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) }))}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={t('field.department')}
          aria-label={t('field.department')}
          style={{ minWidth: 120 }}
          maxTagCount={1}
          value={filters.department}
          onChange={(v) => setFilters({ ...filters, department: v })}
          options={(policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name) }))}
          optionFilterProp="label"
        />
        <Space size={4}>
          <Switch size="small" aria-label={t('queue.onlyOverdue')} checked={!!filters.overdue} onChange={(v) => setFilters({ ...filters, overdue: v })} />
          {t('queue.onlyOverdue')}
        </Space>
        <Tooltip title={t('queue.saveFilter')}>
          <Button icon={<SaveOutlined />} onClick={saveFilter} data-testid="save-filter">
            {t('queue.save')}
          </Button>
        </Tooltip>
        {saved
          .filter((s) => s.queue === queue)
          .map((s) => (
            <Tag key={s.name} color="blue" closable style={{ cursor: 'pointer' }} onClose={() => removeFilter(s)} onClick={() => setFilters(s.filters)} data-testid="saved-filter">
              {s.name}
            </Tag>
          ))}
      </Space>
      {bulk && (
        <div style={{ marginBottom: 8 }}>
          <BulkActions rows={rows.filter((r) => selected.includes(r.id))} onDone={() => (setSelected([]), void load())} mayUrge={mayUrge} />
        </div>
      )}
      <div ref={tableBox} className="kesu-queue-table">
        <Table<ListRow>
          rowKey="id"
          onRow={keys.rowProps}
          rowClassName={keys.rowClassName}
          size="small"
          loading={loading}
          rowSelection={
            bulk ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), columnWidth: 36, getCheckboxProps: (r) => ({ 'aria-label': r.number, 'data-testid': `select-${r.number}` }) as never } : undefined
          }
          dataSource={rows}
          pagination={false}
          scroll={{ y: bulk ? 'calc(100vh - 290px)' : 'calc(100vh - 250px)' }}
          data-testid="queue-table"
          columns={[
            {
              title: t('field.number'),
              dataIndex: 'number',
              width: 150,
              sorter: (a, b) => cmp(a.number, b.number),
              render: (v: string) => (
                <Link to={`/cases/${v}`} state={{ from: loc.pathname }}>
                  {v}
                </Link>
              ),
            },
            { title: t('field.title'), dataIndex: 'title', ellipsis: true },
            { title: t('field.kind'), dataIndex: 'kind', width: 96, className: 'kesu-word', render: (v: string) => t(`kind.${v}`) },
            { title: t('field.grade'), dataIndex: 'grade', width: 90, sorter: (a, b) => cmp(a.grade, b.grade), render: (v: string | null) => (v ? gradeName(v) : '—') },
            { title: t('field.state'), dataIndex: 'state', width: 110, sorter: (a, b) => cmp(a.state, b.state), render: (v: string) => <StateTag state={v} /> },
            { title: t('field.department'), dataIndex: 'departmentCode', width: 110, sorter: (a, b) => cmp(a.departmentCode, b.departmentCode), render: (v: string | null) => deptName(v) },
            { title: t('field.handler'), dataIndex: 'primaryHandlerId', width: 80, render: (v: string | null) => userName(v) },
            { title: t('field.tier'), dataIndex: 'tier', width: 56, sorter: (a, b) => a.tier - b.tier },
            { title: t('field.received'), dataIndex: 'receivedAt', width: 140, sorter: (a, b) => cmp(a.receivedAt, b.receivedAt), render: formatDateTime, defaultSortOrder: undefined },
            {
              title: t('field.timeLeft'),
              dataIndex: 'nextDue',
              width: 150,
              sorter: (a, b) => cmp(a.nextDue?.dueAt ?? '9999', b.nextDue?.dueAt ?? '9999'),
              // The clock due next (triage, dispatch, resolve, follow-up …) with its own warning time.
              render: (_: unknown, r: ListRow) =>
                r.state === 'pending' ? (
                  <Countdown dueAt={r.resolveDueAt} paused />
                ) : r.nextDue ? (
                  <span title={clockName(r.nextDue.kind)}>
                    <Countdown dueAt={r.nextDue.dueAt} warnAt={r.nextDue.warnAt} startedAt={r.receivedAt} breached={r.overdue} />
                  </span>
                ) : (
                  '—'
                ),
            },
            ...(mayUrge
              ? [
                  {
                    title: t('urge.row'),
                    key: 'urge',
                    width: 72,
                    render: (_: unknown, r: ListRow) =>
                      urgeable(r) ? (
                        <Button size="small" onClick={(e) => (e.stopPropagation(), setUrging(r))} data-testid={`urge-${r.number}`} aria-label={`${t('urge.row')} ${r.number}`}>
                          {t('urge.row')}
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
          footer={() => (
            <Space>
              <Typography.Text type="secondary">{t('queue.count', { count: rows.length })}</Typography.Text>
              {cursor && <Button onClick={() => void more()}>{t('queue.more')}</Button>}
            </Space>
          )}
        />
      </div>
      <Modal
        open={!!urging}
        title={urging ? t('urge.title', { number: urging.number, handler: userName(urging.primaryHandlerId) }) : ''}
        okText={t('urge.row')}
        okButtonProps={{ 'data-testid': 'urge-send' } as never}
        onOk={() => void urge()}
        onCancel={() => (setUrging(null), setUrgeText(''))}
        destroyOnHidden
      >
        <Input.TextArea rows={3} maxLength={2000} autoFocus aria-label={t('bulk.urgeComment')} placeholder={t('action.f.urgeComment')} value={urgeText} onChange={(e) => setUrgeText(e.target.value)} data-testid="urge-comment" />
      </Modal>
    </Card>
  );
}
