/**
 * The active policy, readable: grades and their limits, escalation tiers, approval rules, routing,
 * follow-up; and uploading a new version as a YAML/JSON file, with every validation problem listed
 * before anything is activated.
 */
import { Alert, App, Button, Card, Col, Collapse, Descriptions, Row, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok, type PolicyProblem } from '../../api/client';
import { useLookups, useSession } from '../../app/session';
import { formatPolicyDuration, joinList } from '../../shared/format';
import { currentLocale, pick } from '../../i18n';
import { CLOCKS } from './policy-list-parts';

const MAX_BYTES = 1_000_000;

export function PolicyTab({ onEdit }: { onEdit?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { has } = useSession();
  const { policy, gradeName, levelName, deptName, reload } = useLookups();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [problems, setProblems] = useState<PolicyProblem[] | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  if (!policy) return <Card loading />;
  // Staged extensions (issue 10 §5): cumulative maximum, special only, grades · level, stage after stage.
  const extensionStages = (stages: NonNullable<NonNullable<typeof policy.extension>['stages']>) =>
    stages.map((st, i) => (
      <div key={i}>
        {i + 1}. {[formatPolicyDuration(st.max), st.special ? t('action.f.special') : '', st.grades ? joinList(st.grades.map(gradeName)) : '', st.categories ? st.categories.join(', ') : ''].filter(Boolean).join(' / ')} ·{' '}
        {levelName(st.approvalLevel)}
      </div>
    ));

  const read = async (f: File) => {
    setProblems(null);
    setFileError(null);
    setFile(null);
    if (!/\.(ya?ml|json)$/i.test(f.name)) return setFileError(t('policy.badType'));
    if (f.size > MAX_BYTES) return setFileError(t('policy.tooBig', { max: '1 MB' }));
    const text = await f.text();
    setFile({ name: f.name, text });
    const r = await ok(api.POST('/api/v1/policy/check', { body: { text } }));
    setProblems(r.problems);
  };
  const activate = async () => {
    if (!file) return;
    try {
      const r = await ok(api.POST('/api/v1/policy', { body: { text: file.text } }));
      void message.success(t('policy.activated', { key: r.key }));
      setFile(null);
      setProblems(null);
      await reload();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  const locale = currentLocale();

  return (
    <Row gutter={8}>
      <Col xs={24} lg={16}>
        <Card
          title={`${pick(policy.name)} · ${policy.id}@${policy.version}`}
          extra={
            onEdit &&
            has('admin') && (
              <Button type="primary" ghost onClick={onEdit} data-testid="policy-edit">
                {t('policyEditor.editInForms')}
              </Button>
            )
          }
          styles={{ body: { padding: 8 } }}
          data-testid="policy-view"
        >
          {policy.source && (
            // The policy author's notes (seeds, assumptions), in the author's words: folded away.
            <Collapse
              ghost
              size="small"
              data-testid="policy-source"
              items={[
                {
                  key: 'source',
                  label: (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('policy.sourceDetail')}
                    </Typography.Text>
                  ),
                  children: (
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }} data-user-content>
                      {policy.source}
                    </Typography.Paragraph>
                  ),
                },
              ]}
            />
          )}
          <Typography.Title level={5}>{t('policy.grades')}</Typography.Title>
          <Table
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={policy.grades}
            columns={[
              { title: t('field.grade'), dataIndex: 'name', render: (n) => pick(n), width: 100 },
              ...CLOCKS.map((k) => ({ title: t(`clockKind.${k}`), key: k, render: (_: unknown, g: { limits: Record<string, string> }) => formatPolicyDuration(g.limits[k]) })),
              { title: t('policy.warnAt'), dataIndex: 'warnAt', render: (v: number) => `${Math.round(v * 100)}%`, width: 70 },
              { title: t('policy.directToManager'), dataIndex: 'directToManager', render: (v: boolean) => (v ? t('common.yes') : ''), width: 80 },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('policy.tiers')}
          </Typography.Title>
          <Typography.Paragraph>
            {policy.escalation.tiers.map((x) => (
              <Tag key={x.level}>{t('case.tier', { tier: x.level, name: pick(x.name) })}</Tag>
            ))}
            {policy.escalation.escalateEvery && <Typography.Text type="secondary"> · {t('policy.escalateEvery', { d: formatPolicyDuration(policy.escalation.escalateEvery) })}</Typography.Text>}
          </Typography.Paragraph>
          <Typography.Title level={5}>{t('policy.approval')}</Typography.Title>
          <ul style={{ marginTop: 0 }}>
            {policy.approval.rules.map((r, i) => (
              <li key={i}>
                {[r.grades ? joinList(r.grades.map(gradeName)) : '', r.minAmount !== undefined ? t('policy.minAmount', { amount: r.minAmount }) : ''].filter(Boolean).join(' + ') || t('policy.any')} → {levelName(r.level)}
              </li>
            ))}
          </ul>
          <Typography.Title level={5}>{t('policy.routing')}</Typography.Title>
          <Typography.Paragraph>
            {policy.categories.map((c) => (
              <Tag key={c.code}>
                {pick(c.name)} → {c.department ? deptName(c.department) : t('policy.specialistRoutes')}
              </Tag>
            ))}
          </Typography.Paragraph>
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            bordered
            items={[
              { key: 'fw', label: t('policy.followUpWindow'), children: formatPolicyDuration(policy.followUp.window) },
              { key: 'fm', label: t('policy.followUpMethods'), children: joinList(policy.followUp.methods.map((m) => t(`method.${m}`))) },
              { key: 'fr', label: t('policy.retries'), children: policy.followUp.retries.map(formatPolicyDuration).join(' → ') || '—' },
              {
                key: 'ext',
                label: t('policy.extension'),
                children: !policy.extension
                  ? '—'
                  : policy.extension.stages
                    ? extensionStages(policy.extension.stages)
                    : `${formatPolicyDuration(policy.extension.max)} / ${formatPolicyDuration(policy.extension.specialMax)} · ${levelName(policy.extension.approvalLevel ?? '')}`,
              },
              { key: 'cal', label: t('policy.calendar'), children: `${policy.calendar.timeZone} · ${policy.calendar.workingHours.map((h) => `${h.start}–${h.end}`).join(', ')}` },
              { key: 'ret', label: t('policy.retention'), children: policy.retention ? t('policy.days', { count: policy.retention.defaultDays }) : '—' },
              { key: 'unsat', label: t('policy.unsatisfied'), children: t('policy.maxCycles', { count: policy.unsatisfied.maxCycles }) },
              { key: 'scripts', label: t('policy.scripts'), children: `${policy.scripts?.phone.length ?? 0} / ${policy.scripts?.situations.length ?? 0} / ${policy.scripts?.followUp.length ?? 0}` },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card title={t('policy.upload')} styles={{ body: { padding: 8 } }}>
          <Upload.Dragger
            accept=".yaml,.yml,.json"
            showUploadList={false}
            beforeUpload={(f) => {
              void read(f);
              return false;
            }}
            data-testid="policy-upload"
          >
            <p>
              <UploadOutlined style={{ fontSize: 24 }} />
            </p>
            <p>{t('policy.dropHere')}</p>
          </Upload.Dragger>
          {fileError && <Alert type="error" showIcon message={fileError} style={{ marginTop: 8 }} data-testid="policy-file-error" />}
          {file && problems && problems.length > 0 && (
            <Alert
              style={{ marginTop: 8 }}
              type="error"
              showIcon
              data-testid="policy-problems"
              message={t('policy.problems', { count: problems.length, file: file.name })}
              description={
                <ol style={{ paddingLeft: 16, margin: 0 }}>
                  {problems.map((p, i) => (
                    <li key={i}>
                      <code>{p.path}</code> — {pick(p.message, locale)}
                    </li>
                  ))}
                </ol>
              }
            />
          )}
          {file && problems && problems.length === 0 && (
            <Alert
              style={{ marginTop: 8 }}
              type="success"
              showIcon
              message={t('policy.valid', { file: file.name })}
              action={
                has('admin') && (
                  <Button type="primary" onClick={() => void activate()}>
                    {t('policy.activate')}
                  </Button>
                )
              }
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
