/**
 * 来电识别: as soon as the phone field holds a plausible number, the caller's earlier and open
 * cases (the ones this user may see), their counts and the last satisfaction, each case one
 * click away. The server finds them by a keyed hash of the normalised number, so any format works.
 * An open case offers "add this call to this case" (lifecycle action add_contact): the typed
 * description and channel go to that case instead of a duplicate.
 */
import { Alert, Button, Card, Empty, List, Modal, Space, Spin, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, newIdempotencyKey, ok, type Schemas } from '../../api/client';
import { formatDate } from '../../shared/format';

type History = Schemas['CallerHistory'];
type CallerCase = Schemas['CallerCase'];

/** Digits a phone field must hold before it is looked up (separators and +86 allowed). */
export function lookupablePhone(v: string | undefined): string | null {
  const s = (v ?? '').trim();
  if (!/^[0-9+\-() .]+$/.test(s)) return null;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15 ? s : null;
}

/** What the agent has typed so far: the contact that may be added to an open case. */
export interface PendingContact {
  text: string;
  channel: string;
}

/** Confirms and adds the contact to an open case (one Idempotency-Key per confirmation dialog). */
function AddContact({ c, contact, onAdded }: { c: CallerCase; contact: () => PendingContact; onAdded: (number: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const pending = open ? contact() : null;
  const start = () => {
    key.current = newIdempotencyKey();
    setFailed(null);
    setOpen(true);
  };
  const confirm = async () => {
    const body = contact();
    setBusy(true);
    setFailed(null);
    try {
      await ok(api.POST('/api/v1/complaints/{id}/actions/{action}', { params: { path: { id: c.id, action: 'add_contact' }, header: { 'idempotency-key': key.current } }, body: { ...body } }));
      setOpen(false);
      onAdded(c.number);
    } catch (e) {
      setFailed((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" onClick={start} data-testid="caller-add-contact">
        {t('intake.history.addContact')}
      </Button>
      <Modal
        open={open}
        title={t('intake.history.addContactTitle', { number: c.number })}
        onCancel={() => setOpen(false)}
        onOk={confirm}
        okButtonProps={{ disabled: !pending?.text, loading: busy, className: 'caller-add-contact-ok' }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('intake.history.addContactHelp', { number: c.number })}</Typography.Paragraph>
        {pending?.text ? (
          <Typography.Paragraph style={{ whiteSpace: 'pre-line' }} data-testid="caller-add-contact-text">
            <Tag>{t(`channel.${pending.channel}`, { defaultValue: pending.channel })}</Tag>
            {pending.text}
          </Typography.Paragraph>
        ) : (
          <Alert type="warning" showIcon message={t('intake.history.addContactNeedsText')} />
        )}
        {failed && <Alert type="error" showIcon message={failed} data-testid="caller-add-contact-error" />}
      </Modal>
    </>
  );
}

function CaseLine({ c, add }: { c: CallerCase; add?: { contact: () => PendingContact; onAdded: (number: string) => void } }) {
  const { t } = useTranslation();
  return (
    <List.Item style={{ padding: '4px 0' }} data-testid="caller-case">
      <Space direction="vertical" size={0} style={{ width: '100%' }}>
        <Space size={4} wrap>
          <Link to={`/cases/${c.number}`} target="_blank" rel="noreferrer">
            {c.number}
          </Link>
          <Tag>{t(`state.${c.state}`, { defaultValue: c.state })}</Tag>
          {c.satisfaction && <Tag color={c.satisfaction === 'unsatisfied' ? 'red' : 'green'}>{t(`satisfaction.${c.satisfaction}`)}</Tag>}
          {add && <AddContact c={c} contact={add.contact} onAdded={add.onAdded} />}
        </Space>
        <Typography.Text ellipsis style={{ maxWidth: 320 }}>
          {c.title}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {formatDate(c.receivedAt)} · {t(`channel.${c.channel}`, { defaultValue: c.channel })}
          {c.complainantName ? ` · ${c.complainantName}` : ''}
        </Typography.Text>
      </Space>
    </List.Item>
  );
}

export function CallerHistoryPanel({ phone, contact, onContactAdded }: { phone: string | undefined; contact?: () => PendingContact; onContactAdded?: (number: string) => void }) {
  const { t } = useTranslation();
  const [added, setAdded] = useState<string | null>(null);
  const add = contact ? { contact, onAdded: (n: string) => (setAdded(n), onContactAdded?.(n)) } : undefined;
  const query = lookupablePhone(phone);
  const [history, setHistory] = useState<History | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    setFailed(null);
    if (!query) {
      setHistory(null);
      return;
    }
    let live = true;
    // A short pause while the agent is still typing.
    const timer = setTimeout(() => {
      setBusy(true);
      ok(api.GET('/api/v1/callers/history', { params: { query: { phone: query } } }))
        .then((h) => live && setHistory(h))
        .catch((e: Error) => live && (setHistory(null), setFailed(e.message)))
        .finally(() => live && setBusy(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  if (!query) return null;
  return (
    <Card
      size="small"
      title={t('intake.history.title')}
      style={{ marginBottom: 8 }}
      data-testid="caller-history"
      extra={busy ? <Spin size="small" /> : history ? <Typography.Text type="secondary">{history.lookup.shown}</Typography.Text> : null}
    >
      {failed && <Alert type="warning" showIcon message={failed} />}
      {added && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setAdded(null)}
          style={{ marginBottom: 6 }}
          data-testid="caller-contact-added"
          message={t('intake.history.addContactDone', { number: added })}
          action={<Link to={`/cases/${added}`}>{t('intake.history.openCase')}</Link>}
        />
      )}
      {history?.flags.map((f) => (
        <Alert
          key={f.id}
          type="error"
          showIcon
          style={{ marginBottom: 6 }}
          data-testid="caller-flag"
          message={t('customerFlag.flagged')}
          description={t('customerFlag.detail', { reason: f.reason, by: f.setBy, at: formatDate(f.setAt), until: f.expiresAt ? formatDate(f.expiresAt) : t('customerFlag.untilLifted') })}
        />
      ))}
      {history && history.counts.total === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('intake.history.none')} data-testid="caller-history-none" />}
      {history && history.counts.total > 0 && (
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }} data-testid="caller-history-counts">
            {t('intake.history.counts', { total: history.counts.total, open: history.counts.open, earlier: history.counts.earlier })}
          </Typography.Paragraph>
          {history.lastSatisfaction && (
            <Typography.Paragraph style={{ marginBottom: 4 }}>
              {t('intake.history.lastSatisfaction')}: <Tag color={history.lastSatisfaction.satisfaction === 'unsatisfied' ? 'red' : 'green'}>{t(`satisfaction.${history.lastSatisfaction.satisfaction}`)}</Tag>
              <Link to={`/cases/${history.lastSatisfaction.number}`} target="_blank" rel="noreferrer">
                {history.lastSatisfaction.number}
              </Link>
            </Typography.Paragraph>
          )}
          {history.open.length > 0 && (
            <>
              <Typography.Text strong>{t('intake.history.open')}</Typography.Text>
              <List size="small" dataSource={history.open} renderItem={(c) => <CaseLine c={c} add={add} />} />
            </>
          )}
          {history.earlier.length > 0 && (
            <>
              <Typography.Text strong>{t('intake.history.earlier')}</Typography.Text>
              <List size="small" dataSource={history.earlier} renderItem={(c) => <CaseLine c={c} />} />
            </>
          )}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('intake.history.visibleOnly')}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}
