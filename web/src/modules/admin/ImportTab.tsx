/**
 * 台账导入 (issue 15 §4, docs/operations.md "Importing a ledger from the console"): choose a
 * ledger (.xlsx or .csv) and a mapping — a saved one, or a YAML/JSON document pasted or
 * uploaded — then run the dry run, which lists every problem with its row and column; when it
 * finds none, import, watching rows done / total, and read the result. The server does the work
 * after answering (a job, polled here); its refusals come back under their fields.
 */
import { Alert, Button, Card, Form, Input, Progress, Radio, Select, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok, newIdempotencyKey } from '../../api/client';
import { applyServerErrors } from '../../shared/forms';

type Job = Awaited<ReturnType<typeof fetchJob>>;
type Problem = Job['problems'][number];
const fetchJob = (id: string) => ok(api.GET('/api/v1/admin/import/jobs/{id}', { params: { path: { id } } }));

interface Values {
  source: 'saved' | 'paste' | 'upload';
  mappingName?: string;
  mapping?: string;
}

export function ImportTab() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [file, setFile] = useState<File | null>(null);
  const [mappingFile, setMappingFile] = useState<File | null>(null);
  const [saved, setSaved] = useState<{ name: string }[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const key = useRef(newIdempotencyKey());
  const source = Form.useWatch('source', form) ?? 'paste';
  const loadSaved = useCallback(async () => setSaved((await ok(api.GET('/api/v1/admin/import/mappings'))).items), []);
  useEffect(() => void loadSaved().catch(() => setSaved([])), [loadSaved]);

  // Poll the job while it runs.
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = setTimeout(
      () =>
        void fetchJob(job.id)
          .then(setJob)
          .catch((e: Error) => setBanner(e.message)),
      500,
    );
    return () => clearTimeout(timer);
  }, [job]);
  useEffect(() => {
    if (job && job.status !== 'running' && !job.dryRun) void loadSaved();
  }, [job, loadSaved]);

  const start = async (dryRun: boolean) => {
    setBanner(null);
    setFileError(null);
    const v = form.getFieldsValue();
    const body = new FormData();
    if (file) body.append('file', file, file.name);
    if (v.source === 'saved' && v.mappingName) body.append('mappingName', v.mappingName);
    if (v.source === 'paste' && v.mapping) body.append('mapping', v.mapping);
    if (v.source === 'upload' && mappingFile) body.append('mappingFile', mappingFile, mappingFile.name);
    body.append('dryRun', String(dryRun));
    setBusy(true);
    try {
      const j = await ok(api.POST('/api/v1/admin/import/ledger', { params: { header: { 'idempotency-key': key.current } }, body: body as never, bodySerializer: (b) => b }));
      key.current = newIdempotencyKey();
      setJob(j);
    } catch (e) {
      key.current = newIdempotencyKey();
      if (e instanceof ApiError) {
        const fileProblem = e.fields.filter((f) => f.path === 'file').map((f) => f.message);
        if (fileProblem.length) setFileError(fileProblem.join('；'));
      }
      const rest = applyServerErrors(form, e, [['mappingName'], ['mapping']], { mappingFile: ['mapping'] }).filter((f) => f.path !== 'file');
      if (rest.length) setBanner(rest.map((x) => x.message).join('；'));
    } finally {
      setBusy(false);
    }
  };

  const finished = job && job.status !== 'running';
  const dryClean = job?.dryRun && job.status === 'done';
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title={t('import.title')} styles={{ body: { paddingBottom: 8 } }}>
        <Typography.Paragraph type="secondary">{t('import.hint')}</Typography.Paragraph>
        <Form form={form} layout="vertical" initialValues={{ source: 'paste' }}>
          <Form.Item label={t('import.file')} required validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
            <Upload
              accept=".xlsx,.csv"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                setJob(null);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'ledger', name: file.name, status: 'done' }] : []}
            >
              <Button icon={<UploadOutlined />} data-testid="import-file">
                {t('import.chooseFile')}
              </Button>
            </Upload>
          </Form.Item>
          <Form.Item name="source" label={t('import.mapping')}>
            <Radio.Group optionType="button" data-testid="import-mapping-source" options={(['saved', 'paste', 'upload'] as const).map((s) => ({ value: s, label: t(`import.sources.${s}`) }))} />
          </Form.Item>
          {source === 'saved' && (
            <Form.Item name="mappingName" label={t('import.savedMapping')}>
              <Select data-testid="import-mapping-name" options={saved.map((m) => ({ value: m.name, label: m.name }))} placeholder={saved.length ? undefined : t('import.noSaved')} />
            </Form.Item>
          )}
          {source === 'paste' && (
            <Form.Item name="mapping" label={t('import.pasteMapping')}>
              <Input.TextArea rows={8} style={{ fontFamily: 'monospace' }} placeholder={'name: 2025 年投诉台账\ncolumns:\n  receivedAt: 受理时间\n  description: 投诉内容'} data-testid="import-mapping" />
            </Form.Item>
          )}
          {source === 'upload' && (
            <Form.Item name="mapping" label={t('import.uploadMapping')}>
              <Upload
                accept=".yaml,.yml,.json"
                maxCount={1}
                beforeUpload={(f) => {
                  setMappingFile(f);
                  return false;
                }}
                onRemove={() => setMappingFile(null)}
                fileList={mappingFile ? [{ uid: 'mapping', name: mappingFile.name, status: 'done' }] : []}
              >
                <Button icon={<UploadOutlined />}>{t('import.chooseMapping')}</Button>
              </Upload>
            </Form.Item>
          )}
          <Space wrap>
            <Button onClick={() => void start(true)} loading={busy} disabled={job?.status === 'running'} data-testid="import-dry">
              {t('import.dryRun')}
            </Button>
            <Button type="primary" onClick={() => void start(false)} loading={busy} disabled={!dryClean} data-testid="import-run">
              {t('import.run')}
            </Button>
          </Space>
        </Form>
        {banner && <Alert style={{ marginTop: 8 }} type="error" showIcon message={banner} data-testid="import-error" />}
      </Card>
      {job && (
        <Card title={job.dryRun ? t('import.dryResult') : t('import.importResult')} data-testid="import-job">
          {job.status === 'running' && !job.dryRun && <Progress percent={job.total ? Math.floor((job.done * 100) / job.total) : 0} format={() => t('import.progress', { done: job.done, total: job.total })} data-testid="import-progress" />}
          {job.status === 'running' && job.dryRun && <Typography.Text>{t('import.checking')}</Typography.Text>}
          {finished && (
            <Alert
              type={job.status === 'done' ? 'success' : 'error'}
              showIcon
              data-testid="import-summary"
              message={
                job.status === 'refused'
                  ? t('import.refused', { rows: job.rows, n: job.problems.length })
                  : job.status === 'done'
                    ? job.dryRun
                      ? t('import.dryDone', { rows: job.rows, toImport: job.total, already: job.alreadyImported })
                      : t('import.done', { created: job.created, already: job.alreadyImported })
                    : t('import.failed', { error: job.error ?? job.status })
              }
            />
          )}
          {finished && !job.dryRun && job.status === 'done' && <Progress percent={100} format={() => t('import.progress', { done: job.done, total: job.total })} />}
          {job.problems.length > 0 && (
            <Table<Problem>
              style={{ marginTop: 8 }}
              size="small"
              rowKey={(p) => `${p.row}-${p.column}-${p.code}`}
              dataSource={job.problems}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              data-testid="import-problems"
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 70 },
                { title: t('import.column'), key: 'col', width: 160, render: (_: unknown, p) => [p.column, p.header].filter(Boolean).join(' · ') },
                { title: t('import.problem'), dataIndex: 'text' },
              ]}
            />
          )}
        </Card>
      )}
    </Space>
  );
}
