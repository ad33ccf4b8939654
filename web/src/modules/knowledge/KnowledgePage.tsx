/**
 * 经验库 (issue 13 §4; seed 002 篇3): the experience library — search the articles, read one with
 * its version history, and (for the policy's `knowledge.editors`) write a new one or save a new
 * version. Every save is kept; the server refuses a save over someone else's newer version.
 */
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Grid, Input, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, newIdempotencyKey, ok, type Schemas } from '../../api/client';
import { useLookups } from '../../app/session';
import { applyServerErrors } from '../../shared/forms';
import { formatDateTime } from '../../shared/format';
import { pick } from '../../i18n';

type Summary = Schemas['KnowledgeArticleSummary'];
type Article = Schemas['KnowledgeArticle'];
type Version = Schemas['KnowledgeArticleVersion'];
type Status = Article['status'];

const STATUS_COLOR: Record<Status, string> = { draft: 'orange', published: 'green', retired: 'default' };

interface Values {
  title: string;
  symptom: string;
  cause?: string;
  steps: string;
  scripts?: string;
  category?: string | null;
  products?: string[];
  status: Status;
}

const lines = (s: string | undefined) =>
  (s ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function Editor({ article, onSaved, onCancel }: { article: Article | null; onSaved: (a: Article) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { policy } = useLookups();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [banner, setBanner] = useState<string | null>(null);
  const [key] = useState(newIdempotencyKey);
  const initial: Values = article
    ? { title: article.title, symptom: article.symptom, cause: article.cause, steps: article.steps.join('\n'), scripts: article.scripts.join('\n'), category: article.category, products: article.products, status: article.status }
    : { title: '', symptom: '', steps: '', status: 'draft' };
  const submit = async (v: Values) => {
    setBusy(true);
    setBanner(null);
    try {
      const body = {
        title: v.title,
        symptom: v.symptom,
        cause: v.cause ?? '',
        steps: lines(v.steps),
        scripts: lines(v.scripts),
        category: v.category ?? null,
        products: v.products ?? [],
        policyId: article?.policyId ?? null,
        status: v.status,
      };
      const headers = { 'idempotency-key': key };
      const saved = article
        ? await ok(api.PUT('/api/v1/knowledge/articles/{id}', { params: { path: { id: article.id }, header: headers }, body: { ...body, version: article.version, note: null } }))
        : await ok(api.POST('/api/v1/knowledge/articles', { params: { header: headers }, body }));
      onSaved(saved);
    } catch (e) {
      const rest = applyServerErrors(form, e, [['title'], ['symptom'], ['cause'], ['steps'], ['scripts'], ['category'], ['products'], ['status']]);
      if (rest.length) setBanner(rest.map((f) => f.message).join('\n'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" name="knowledge" initialValues={initial} onFinish={(v) => void submit(v)} requiredMark={false} data-testid="knowledge-editor">
      <Form.Item name="title" label={t('knowledge.field.title')} rules={[{ required: true, message: t('form.required') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="symptom" label={t('knowledge.field.symptom')} rules={[{ required: true, message: t('form.required') }]}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Form.Item name="cause" label={t('knowledge.field.cause')}>
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} />
      </Form.Item>
      <Form.Item name="steps" label={t('knowledge.field.steps')} extra={t('knowledge.onePerLine')} rules={[{ required: true, message: t('form.required') }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Form.Item name="scripts" label={t('knowledge.field.scripts')} extra={t('knowledge.onePerLine')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
      </Form.Item>
      <Row gutter={8}>
        <Col xs={24} md={8}>
          <Form.Item name="category" label={t('knowledge.field.category')}>
            <Select allowClear options={(policy?.categories ?? []).map((c) => ({ value: c.code, label: pick(c.name) }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="products" label={t('knowledge.field.products')}>
            <Select mode="tags" tokenSeparators={[',', '，']} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="status" label={t('knowledge.field.status')}>
            <Select options={(['draft', 'published', 'retired'] as const).map((s) => ({ value: s, label: t(`knowledge.status.${s}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      {banner && <Alert type="error" showIcon message={banner} style={{ marginBottom: 12 }} data-testid="form-banner" />}
      <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button onClick={onCancel}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="knowledge-save">
          {t('knowledge.save')}
        </Button>
      </Space>
    </Form>
  );
}

function ArticleView({ article, history }: { article: Article; history: Version[] }) {
  const { t } = useTranslation();
  const { categoryName } = useLookups();
  // On a phone the labels sit above their values: a label column leaves the text no room.
  const wide = Grid.useBreakpoint().md ?? true;
  return (
    <>
      <Descriptions size="small" column={1} bordered layout={wide ? 'horizontal' : 'vertical'} data-testid="knowledge-article">
        <Descriptions.Item label={t('knowledge.field.symptom')}>{article.symptom}</Descriptions.Item>
        {article.cause && <Descriptions.Item label={t('knowledge.field.cause')}>{article.cause}</Descriptions.Item>}
        <Descriptions.Item label={t('knowledge.field.steps')}>
          <ol style={{ margin: 0, paddingInlineStart: 18 }}>
            {article.steps.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ol>
        </Descriptions.Item>
        {article.scripts.length > 0 && (
          <Descriptions.Item label={t('knowledge.field.scripts')}>
            {article.scripts.map((s, i) => (
              <Typography.Paragraph key={i} italic style={{ margin: 0 }}>
                “{s}”
              </Typography.Paragraph>
            ))}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('knowledge.field.category')}>{categoryName(article.category)}</Descriptions.Item>
        {article.products.length > 0 && (
          <Descriptions.Item label={t('knowledge.field.products')}>
            {article.products.map((p) => (
              <Tag key={p}>{p}</Tag>
            ))}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('knowledge.history')}
      </Typography.Title>
      <Timeline
        data-testid="knowledge-history"
        items={history.map((v) => ({
          color: v.version === article.version ? 'green' : 'gray',
          children: (
            <span>
              {t('knowledge.versionN', { n: v.version })} · <Tag color={STATUS_COLOR[v.status]}>{t(`knowledge.status.${v.status}`)}</Tag>
              {v.editedBy} · {formatDateTime(v.editedAt)}
              {v.note ? ` · ${v.note}` : ''}
              {v.title !== article.title ? <Typography.Text type="secondary"> · {v.title}</Typography.Text> : null}
            </span>
          ),
        }))}
      />
    </>
  );
}

export function KnowledgePage() {
  const { t } = useTranslation();
  const { categoryName } = useLookups();
  const { id } = useParams();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [list, setList] = useState<Summary[]>([]);
  const [mayEdit, setMayEdit] = useState(false);
  const [article, setArticle] = useState<Article | null>(null);
  const [history, setHistory] = useState<Version[]>([]);
  const [editing, setEditing] = useState<'new' | 'edit' | null>(null);

  const load = useCallback(async () => {
    const r = await ok(api.GET('/api/v1/knowledge/articles', { params: { query: q ? { q } : {} } }));
    setList(r.items);
    setMayEdit(r.mayEdit);
  }, [q]);
  useEffect(() => {
    void load();
  }, [load]);
  const open = useCallback(async (articleId: string) => {
    const [a, h] = await Promise.all([ok(api.GET('/api/v1/knowledge/articles/{id}', { params: { path: { id: articleId } } })), ok(api.GET('/api/v1/knowledge/articles/{id}/versions', { params: { path: { id: articleId } } }))]);
    setArticle(a);
    setHistory(h);
  }, []);
  useEffect(() => {
    setEditing(null);
    if (id) void open(id);
    else setArticle(null);
  }, [id, open]);

  return (
    <Row gutter={16} data-testid="knowledge-page">
      <Col xs={24} lg={10}>
        <Card
          size="small"
          title={t('knowledge.title')}
          extra={
            mayEdit && (
              <Button
                type="primary"
                size="small"
                data-testid="knowledge-new"
                onClick={() => {
                  navigate('/knowledge');
                  setEditing('new');
                }}
              >
                {t('knowledge.new')}
              </Button>
            )
          }
          style={{ marginBottom: 16 }}
        >
          <Input.Search allowClear placeholder={t('knowledge.searchHint')} onSearch={(v) => setQ(v.trim())} style={{ marginBottom: 8 }} data-testid="knowledge-search" data-shortcut="search" />
          <Table<Summary>
            size="small"
            rowKey="id"
            dataSource={list}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('knowledge.none') }}
            onRow={(a) => ({ onClick: () => navigate(`/knowledge/${a.id}`), style: { cursor: 'pointer' } })}
            rowClassName={(a) => (a.id === id ? 'ant-table-row-selected' : '')}
            columns={[
              { title: t('knowledge.field.title'), dataIndex: 'title', ellipsis: true },
              { title: t('knowledge.field.category'), render: (_v, a) => categoryName(a.category), responsive: ['md'] },
              { title: t('knowledge.field.status'), width: 90, render: (_v, a) => <Tag color={STATUS_COLOR[a.status]}>{t(`knowledge.status.${a.status}`)}</Tag> },
              { title: t('knowledge.updated'), width: 150, render: (_v, a) => formatDateTime(a.updatedAt), responsive: ['lg'] },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        {editing === 'new' ? (
          <Card size="small" title={t('knowledge.new')}>
            <Editor
              article={null}
              onCancel={() => setEditing(null)}
              onSaved={(a) => {
                setEditing(null);
                void load();
                navigate(`/knowledge/${a.id}`);
              }}
            />
          </Card>
        ) : article ? (
          <Card
            size="small"
            title={
              <Space wrap>
                {article.title}
                <Tag color={STATUS_COLOR[article.status]}>{t(`knowledge.status.${article.status}`)}</Tag>
                <Typography.Text type="secondary">{t('knowledge.versionN', { n: article.version })}</Typography.Text>
              </Space>
            }
            extra={
              mayEdit &&
              editing !== 'edit' && (
                <Button size="small" data-testid="knowledge-edit" onClick={() => setEditing('edit')}>
                  {t('knowledge.edit')}
                </Button>
              )
            }
          >
            {editing === 'edit' ? (
              <Editor
                key={article.version}
                article={article}
                onCancel={() => setEditing(null)}
                onSaved={() => {
                  setEditing(null);
                  void load();
                  void open(article.id);
                }}
              />
            ) : (
              <ArticleView article={article} history={history} />
            )}
          </Card>
        ) : (
          <Card size="small">
            <Empty description={t('knowledge.pick')} />
          </Card>
        )}
      </Col>
    </Row>
  );
}
