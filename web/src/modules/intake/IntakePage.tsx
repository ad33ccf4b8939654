/**
 * 受理登记: registering a complaint, inquiry or suggestion from any channel, with the 5W1H
 * checklist, and the phone script of the policy beside the form. Keyboard-first: the channel
 * field has the focus on arrival, Tab walks the fields in reading order, Ctrl+Enter saves, and
 * Enter on the result starts the next registration. Files chosen on the form (photos,
 * documents) are uploaded right after the case is created; the result lists them. As soon as a
 * phone number is typed, the caller's earlier and open cases show beside the form (来电识别).
 */
import { Alert, Button, Card, Checkbox, Col, Form, Grid, Input, InputNumber, Modal, Row, Select, Space, Tag, Typography, DatePicker, Upload, type UploadFile } from 'antd';
import { CheckCircleFilled, ClockCircleOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Dayjs } from 'dayjs';
import { api, ok, type CaseView, type IntakeBody } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { applyServerErrors, clean, type NamePath } from '../../shared/forms';
import { formatDateTime } from '../../shared/format';
import { ScriptPanel, fillScript } from '../../shared/ScriptPanel';
import { pick } from '../../i18n';
import { fileProblems, formatBytes, uploadErrorLines, uploadFiles, useAttachmentLimits } from '../../shared/attachments';
import { CallerHistoryPanel } from './CallerHistoryPanel';
import { KeyInformationPanel } from '../../shared/KeyInformation';
import { KnowledgeMatchPanel, librarySituations, useKnowledgeMatch } from '../knowledge/MatchPanel';
import { scriptFor } from '../../shared/channel-script';
import { AccessCodeIssuer } from '../case/AccessCodeIssuer';
import { subjectEmployeeOptions } from '../case/pickers';

const W = ['what', 'who', 'when', 'where', 'why', 'how'] as const;
const DEMANDS = ['return_exchange', 'compensation', 'apology', 'improve_service', 'other'];

/** The form: the intake body's fields, the 5W1H parts of the description, the files. */
interface Values {
  channel: string;
  kind: NonNullable<IntakeBody['kind']>;
  title?: string;
  complainant: IntakeBody['complainant'];
  references: NonNullable<IntakeBody['references']>;
  subject: NonNullable<IntakeBody['subject']>;
  w: Partial<Record<(typeof W)[number], string>>;
  demands: NonNullable<IntakeBody['demands']>;
  regulator?: { name?: string; externalRef?: string; dueAt?: Dayjs };
  files?: UploadFile[];
}

const FIELDS: NamePath[] = [
  ['channel'],
  ['kind'],
  ['title'],
  ['complainant', 'anonymous'],
  ['complainant', 'name'],
  ['complainant', 'phone'],
  ['complainant', 'email'],
  ['complainant', 'idNumber'],
  ['complainant', 'address'],
  ['complainant', 'customerClass'],
  ['references', 'order'],
  ['references', 'product'],
  ['references', 'plate'],
  ['subject', 'departmentCode'],
  ['subject', 'employeeIds'],
  ['subject', 'description'],
  ['demands', 'types'],
  ['demands', 'amount'],
  ['demands', 'text'],
  ['regulator', 'name'],
  ['regulator', 'externalRef'],
  ['regulator', 'dueAt'],
  ...W.map((w) => ['w', w]),
  ['files'],
];

const chosen = (list: UploadFile[] | undefined): File[] => (list ?? []).map((f) => f.originFileObj).filter((f): f is NonNullable<typeof f> => !!f);

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export function IntakePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const { policy, staff, deptName } = useLookups();
  const nav = useNavigate();
  // Beside the form on a wide screen; below it on a phone or a narrow window.
  const wide = Grid.useBreakpoint().lg ?? true;
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string[]>([]);
  const [result, setResult] = useState<CaseView | null>(null);
  /** Why the chosen files did not go up (the case itself was saved). */
  const [uploadProblems, setUploadProblems] = useState<string[]>([]);
  const limits = useAttachmentLimits();
  const idempotencyKey = useRef(newKey());
  const nextButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (result) setTimeout(() => nextButton.current?.focus(), 100);
  }, [result]);
  const w = Form.useWatch('w', form) ?? {};
  const channel = Form.useWatch('channel', form);
  const subjectDept = Form.useWatch(['subject', 'departmentCode'], form);
  const anonymous = Form.useWatch(['complainant', 'anonymous'], form);
  const name = Form.useWatch(['complainant', 'name'], form);
  const phone = Form.useWatch(['complainant', 'phone'], form);

  const compose = useCallback(
    (v: Values) => {
      const parts = [v.w.what?.trim() ?? ''];
      for (const k of W.slice(1)) if (v.w[k]?.trim()) parts.push(`【${t(`intake.w.${k}`)}】${v.w[k]!.trim()}`);
      return parts.filter(Boolean).join('\n');
    },
    [t],
  );

  const submit = async () => {
    setBanner([]);
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const body = clean({
      kind: v.kind,
      channel: v.channel,
      title: v.title,
      description: compose(v),
      complainant: { ...v.complainant, anonymous: !!v.complainant?.anonymous },
      subject: v.subject,
      references: v.references,
      demands: v.demands,
      // Sent as filled in: the server names each missing part.
      regulator: v.channel === 'regulator' && v.regulator ? ({ ...v.regulator, dueAt: v.regulator.dueAt?.toISOString() } as IntakeBody['regulator']) : undefined,
    });
    setBusy(true);
    try {
      const r = await ok(api.POST('/api/v1/complaints', { body, params: { header: { 'idempotency-key': idempotencyKey.current } } }));
      const files = chosen(v.files);
      let saved = r;
      setUploadProblems([]);
      if (files.length) {
        try {
          saved = { ...(await uploadFiles(r.complaint.id, files)), promisedAt: r.promisedAt };
        } catch (e) {
          setUploadProblems(uploadErrorLines(e));
        }
      }
      setResult(saved);
    } catch (e) {
      const rest = applyServerErrors(form, e, FIELDS, { description: ['w', 'what'] });
      setBanner(rest.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)));
    } finally {
      setBusy(false);
    }
  };

  const again = () => {
    setResult(null);
    setUploadProblems([]);
    form.resetFields();
    idempotencyKey.current = newKey();
    setTimeout(() => document.getElementById('intake_channel')?.focus(), 50);
  };

  const kinds = useMemo(() => (['complaint', 'inquiry', 'suggestion'] as const).filter((k) => policy?.kinds[k]?.enabled !== false), [policy]);
  const missing = W.filter((k) => !w[k]?.trim());
  const vars = {
    agent: me?.name,
    customer: name || t('script.customer'),
    number: result?.complaint.number ?? t('script.pending'),
    promisedAt: result?.promisedAt ? formatDateTime(result.promisedAt) : t('script.pending'),
  };
  const script = scriptFor(policy?.scripts, channel);
  // The library's situation scripts for the typed complaint come first, then the policy's.
  const match = useKnowledgeMatch(w.what);
  const situations = [...librarySituations(match, t('knowledge.scriptHint')), ...script.situations];
  const promiseLine = script.kind === 'written' ? undefined : policy?.scripts?.phone.find((s) => s.code === 'promise')?.lines[0];
  const channelName = t(`channel.${channel ?? 'phone'}`, { defaultValue: channel ?? 'phone' });
  const scriptTitle = script.kind === 'phone' ? t('script.phoneTitle') : script.kind === 'written' ? t('script.writtenTitle', { channel: channelName }) : t('script.liveTitle', { channel: channelName });

  return (
    <Row gutter={[12, 12]} wrap={!wide}>
      <Col flex={wide ? 'auto' : undefined} span={wide ? undefined : 24} style={{ minWidth: 0 }}>
        <Card title={t('intake.title')} extra={<Typography.Text type="secondary">{t('intake.keys')}</Typography.Text>} styles={{ body: { paddingTop: 8 } }}>
          <Form<Values>
            form={form}
            name="intake"
            layout="vertical"
            requiredMark
            initialValues={{ channel: 'phone', kind: 'complaint', complainant: { anonymous: false }, demands: { types: [] }, subject: { employeeIds: [] }, w: {} }}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              if (e.ctrlKey || e.metaKey) {
                e.preventDefault();
                void submit();
              } else if ((e.target as HTMLElement).tagName === 'INPUT') {
                // Enter in a one-line field must not save a half-typed registration.
                e.preventDefault();
              }
            }}
            onFinish={() => void submit()}
            className="kesu-dense-form"
          >
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name="channel" label={t('field.channel')} rules={[{ required: true, message: t('form.required') }]}>
                  <Select autoFocus showSearch optionFilterProp="label" options={(policy?.channels ?? ['phone']).map((c) => ({ value: c, label: t(`channel.${c}`, { defaultValue: c }) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name="kind" label={t('field.kind')}>
                  <Select showSearch optionFilterProp="label" options={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['complainant', 'anonymous']} valuePropName="checked" label=" ">
                  <Checkbox>{t('field.anonymous')}</Checkbox>
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name={['complainant', 'name']} label={t('field.complainantName')}>
                  <Input disabled={!!anonymous} maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['complainant', 'phone']} label={t('field.phone')}>
                  <Input maxLength={32} inputMode="tel" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['complainant', 'customerClass']} label={t('field.customerClass')}>
                  <Select showSearch options={['A', 'B', 'C', 'D'].map((c) => ({ value: c, label: c }))} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name={['complainant', 'email']} label={t('field.email')}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={16}>
                <Form.Item name={['complainant', 'address']} label={t('field.address')}>
                  <Input maxLength={500} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name={['references', 'order']} label={t('field.order')}>
                  <Input maxLength={100} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['references', 'product']} label={t('field.product')}>
                  <Input maxLength={200} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['references', 'plate']} label={t('field.plate')}>
                  <Input maxLength={20} />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text strong>{t('intake.w.title')}</Typography.Text>{' '}
            <span data-testid="w-checklist">
              {W.map((k) => (
                <Tag key={k} color={w[k]?.trim() ? 'green' : 'default'} icon={w[k]?.trim() ? <CheckCircleFilled /> : <ClockCircleOutlined />} data-filled={w[k]?.trim() ? 'yes' : 'no'}>
                  {t(`intake.w.${k}`)}
                </Tag>
              ))}
              <Typography.Text type={missing.length ? 'warning' : 'success'} style={{ fontSize: 12 }}>
                {missing.length ? t('intake.w.missing', { list: missing.map((k) => t(`intake.w.${k}`)).join('、') }) : t('intake.w.complete')}
              </Typography.Text>
            </span>
            <Form.Item name={['w', 'what']} label={t('intake.w.whatLabel')} rules={[{ required: true, whitespace: true, message: t('intake.w.whatRequired') }]} style={{ marginTop: 6 }}>
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={15000} />
            </Form.Item>
            <Row gutter={8}>
              {W.slice(1).map((k) => (
                <Col xs={24} sm={k === 'how' ? 24 : 12} key={k}>
                  <Form.Item name={['w', k]} label={t(`intake.w.${k}Label`)}>
                    <Input maxLength={800} />
                  </Form.Item>
                </Col>
              ))}
            </Row>
            <Row gutter={8}>
              <Col xs={24} sm={12}>
                <Form.Item name={['demands', 'types']} label={t('field.demands')}>
                  <Checkbox.Group options={DEMANDS.map((d) => ({ value: d, label: t(`demand.${d}`) }))} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={4}>
                <Form.Item name={['demands', 'amount']} label={t('field.amount')}>
                  <InputNumber min={0} style={{ width: '100%' }} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['demands', 'text']} label={t('field.demandText')}>
                  <Input maxLength={2000} />
                </Form.Item>
              </Col>
            </Row>
            <Row gutter={8}>
              <Col xs={24} sm={8}>
                <Form.Item name={['subject', 'departmentCode']} label={t('field.subjectDepartment')}>
                  <Select
                    showSearch
                    allowClear
                    optionFilterProp="label"
                    options={(policy?.departments ?? []).map((d) => ({ value: d.code, label: pick(d.name) }))}
                    // The complained-about employees stay only if they work in the department chosen.
                    onChange={(dept?: string) => {
                      const kept = new Set(subjectEmployeeOptions(staff, dept, deptName).map((o) => o.value));
                      form.setFieldValue(
                        ['subject', 'employeeIds'],
                        ((form.getFieldValue(['subject', 'employeeIds']) ?? []) as string[]).filter((id) => kept.has(id)),
                      );
                    }}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['subject', 'employeeIds']} label={t('field.subjectEmployees')} tooltip={t('intake.avoidanceHint')}>
                  <Select mode="multiple" showSearch optionFilterProp="label" options={subjectEmployeeOptions(staff, subjectDept, deptName)} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={8}>
                <Form.Item name={['subject', 'description']} label={t('field.subjectDescription')}>
                  <Input maxLength={1000} />
                </Form.Item>
              </Col>
            </Row>
            {channel === 'regulator' && (
              <Row gutter={8}>
                <Col xs={24} sm={8}>
                  <Form.Item name={['regulator', 'name']} label={t('field.regulatorName')} rules={[{ required: true, message: t('form.required') }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name={['regulator', 'externalRef']} label={t('field.regulatorRef')} rules={[{ required: true, message: t('form.required') }]}>
                    <Input maxLength={100} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={8}>
                  <Form.Item name={['regulator', 'dueAt']} label={t('field.regulatorDue')} rules={[{ required: true, message: t('form.required') }]}>
                    <DatePicker showTime style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
            )}
            <Form.Item name="title" label={t('field.titleOptional')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              name="files"
              label={t('intake.files')}
              valuePropName="fileList"
              getValueFromEvent={(e: { fileList?: UploadFile[] } | UploadFile[]) => (Array.isArray(e) ? e : e?.fileList)}
              extra={limits ? t('attachments.hint', { n: limits.maxFiles, size: formatBytes(limits.maxBytes) }) : undefined}
              rules={[
                {
                  validator: async (_, list?: UploadFile[]) => {
                    const problems = fileProblems(chosen(list), limits, t);
                    if (problems.length) throw new Error(problems.join('；'));
                  },
                },
              ]}
            >
              <Upload multiple accept={limits?.extensions.join(',')} beforeUpload={() => false} data-testid="intake-files-input">
                <Button icon={<UploadOutlined />} data-testid="intake-files-button">
                  {t('attachments.pick')}
                </Button>
              </Upload>
            </Form.Item>
            {banner.length > 0 && <Alert type="error" showIcon message={t('form.notSaved')} description={banner.join('\n')} style={{ marginBottom: 8 }} data-testid="form-banner" />}
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="intake-save">
                {t('intake.save')}
              </Button>
              <Button htmlType="button" onClick={again}>
                {t('intake.clear')}
              </Button>
            </Space>
          </Form>
        </Card>
      </Col>
      <Col flex={wide ? '380px' : undefined} span={wide ? undefined : 24} style={wide ? { minWidth: 300 } : undefined} data-testid="intake-side">
        <CallerHistoryPanel
          phone={anonymous ? undefined : phone}
          contact={() => ({ text: compose({ ...form.getFieldsValue(true), w: form.getFieldValue('w') ?? {} } as Values), channel: form.getFieldValue('channel') ?? 'phone' })}
          onContactAdded={() => {
            // The call now lives on the open case: the form starts over (keeping the caller's number, so the panel stays).
            const keep = form.getFieldValue(['complainant', 'phone']);
            form.resetFields();
            form.setFieldValue(['complainant', 'phone'], keep);
            idempotencyKey.current = newKey();
          }}
        />
        <KeyInformationPanel text={w.what} />
        <KnowledgeMatchPanel match={match} />
        <Card title={scriptTitle} styles={{ body: { padding: 8, maxHeight: wide ? 'calc(100vh - 130px)' : undefined, overflow: 'auto' } }}>
          {script.kind === 'written' ? (
            <Typography.Paragraph type="secondary" style={{ margin: 4 }} data-testid="phone-script" data-script={script.kind}>
              {t('script.written')}
            </Typography.Paragraph>
          ) : (
            <div data-script={script.kind}>
              <ScriptPanel key={script.kind} steps={script.steps} situations={situations} vars={vars} testId="phone-script" />
            </div>
          )}
        </Card>
      </Col>
      <Modal
        open={!!result}
        title={t('intake.savedTitle')}
        onCancel={again}
        destroyOnHidden
        footer={[
          <Button key="open" onClick={() => result && nav(`/cases/${result.complaint.number}`)} data-testid="intake-open-case">
            {t('intake.openCase')}
          </Button>,
          <Button key="next" type="primary" ref={nextButton} onClick={again} data-testid="intake-next">
            {t('intake.next')}
          </Button>,
        ]}
      >
        {result && (
          <div data-testid="intake-result">
            <Typography.Paragraph>
              {t('intake.number')}:{' '}
              <Typography.Text strong copyable style={{ fontSize: 18 }} data-testid="intake-number">
                {result.complaint.number}
              </Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph>
              {t('intake.promisedAt')}:{' '}
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="intake-promised">
                {formatDateTime(result.promisedAt)}
              </Typography.Text>
            </Typography.Paragraph>
            {(result.attachments ?? []).length > 0 && (
              <Typography.Paragraph data-testid="intake-attachments">
                {t('intake.attached')}:{' '}
                {result.attachments.map((a) => (
                  <Tag key={a.id} icon={<PaperClipOutlined />}>
                    {a.name}（{formatBytes(a.size)}）
                  </Tag>
                ))}
              </Typography.Paragraph>
            )}
            {uploadProblems.length > 0 && (
              <Alert type="warning" showIcon message={t('intake.filesNotUploaded')} description={uploadProblems.join('\n')} style={{ marginBottom: 8, whiteSpace: 'pre-line' }} data-testid="intake-upload-problems" />
            )}
            {promiseLine && <Alert type="info" showIcon message={t('intake.readOut')} description={`“${fillScript(pick(promiseLine), vars)}”`} />}
            <div style={{ marginTop: 8 }} data-testid="intake-access-code">
              <AccessCodeIssuer caseId={result.complaint.id} confirm={false} />
            </div>
          </div>
        )}
      </Modal>
    </Row>
  );
}
