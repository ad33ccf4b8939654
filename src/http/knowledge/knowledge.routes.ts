/**
 * The experience library (issue 13 §4/§6): articles (list/search, create, read, new version,
 * history), a draft from a resolved case, matching a complaint text, and suggestion feedback.
 */
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { App } from '../../services/app.js';
import { articleHistory, createArticle, draftFromCase, getArticleById, searchArticles, updateArticle } from '../../services/knowledge.js';
import { matchText, recordFeedback } from '../../services/knowledge-match.js';
import { parseInput } from '../../domain/validation.js';
import { requireUser } from '../auth/auth.js';
import type { ResponseTypeProvider } from '../schemas/registry.js';
import { errors } from '../schemas/common.js';
import { Article, ArticleSummary, ArticleVersion, MatchResult } from '../schemas/knowledge.js';
import { IDEMPOTENCY_NOTE, IdempotencyHeaders, idempotent } from '../idempotency.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const line = z.string().trim().min(1).max(2000);
const Content = z.strictObject({
  title: z.string().trim().min(2).max(200),
  symptom: z.string().trim().min(2).max(5000),
  cause: z.string().trim().max(5000).default(''),
  steps: z.array(line).min(1).max(50),
  scripts: z.array(line).max(50).default([]),
  category: z.string().trim().min(1).max(64).nullable().default(null),
  products: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  policyId: z.string().trim().min(1).max(100).nullable().default(null),
  status: z.enum(['draft', 'published', 'retired']).default('draft'),
});
const Update = Content.extend({ version: z.number().int().min(1), note: z.string().trim().max(500).nullable().default(null) });
const ListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['draft', 'published', 'retired']).optional(),
  category: z.string().trim().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const MatchBody = z.strictObject({ text: z.string().trim().min(2).max(20000), category: z.string().trim().min(1).max(64).nullable().optional(), limit: z.number().int().min(1).max(20).optional() });
const FeedbackBody = z.strictObject({ kind: z.enum(['article', 'case']), targetId: z.string().min(1).max(64), helpful: z.boolean() });

export function knowledgeRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<ResponseTypeProvider>();
  const signedIn = requireUser(app);
  const tags = ['knowledge'];

  server.get(
    '/api/v1/knowledge/articles',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Experience articles, newest first; `q` searches the words (jieba tokens); drafts and retired ones for editors only',
        querystring: ListQuery,
        response: { 200: z.strictObject({ items: z.array(ArticleSummary), mayEdit: z.boolean().describe('Whether the reader may write articles (policy knowledge.editors)') }), ...errors(400, 401) },
      },
    },
    async (req) => searchArticles(app, req.actor!, parseInput(ListQuery, req.query)),
  );

  server.post(
    '/api/v1/knowledge/articles',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Write an experience article (policy knowledge.editors); version 1',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: Content,
        response: { 201: Article, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => {
      const b = parseInput(Content, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async (mark) => reply.status(201).send(await createArticle(app, req.actor!, b, mark)));
    },
  );

  server.get('/api/v1/knowledge/articles/:id', { preHandler: signedIn, schema: { tags, summary: 'An experience article, its current version', params: IdParams, response: { 200: Article, ...errors(401, 404) } } }, async (req) =>
    getArticleById(app, parseInput(IdParams, req.params).id),
  );

  server.put(
    '/api/v1/knowledge/articles/:id',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Save a new version of an article (`version`: the one edited; 409 when someone saved meanwhile)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        body: Update,
        response: { 200: Article, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      const { version, note, ...content } = parseInput(Update, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id, version, note, content } }, async (mark) => reply.send(await updateArticle(app, req.actor!, id, content, version, note, mark)));
    },
  );

  server.get(
    '/api/v1/knowledge/articles/:id/versions',
    { preHandler: signedIn, schema: { tags, summary: "An article's saved versions, newest first", params: IdParams, response: { 200: z.array(ArticleVersion), ...errors(401, 404) } } },
    async (req) => articleHistory(app, parseInput(IdParams, req.params).id),
  );

  server.post(
    '/api/v1/knowledge/articles/from-case/:id',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Turn a resolved case into experience: a draft article pre-filled from it, without the customer’s personal data',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 201: Article, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = parseInput(IdParams, req.params);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: { id } }, async (mark) => reply.status(201).send(await draftFromCase(app, req.actor!, id, mark)));
    },
  );

  server.post(
    '/api/v1/knowledge/match',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Experience articles and similar resolved cases (that the reader may see) for a complaint text, with why each matched', body: MatchBody, response: { 200: MatchResult, ...errors(400, 401) } },
    },
    async (req) => matchText(app, req.actor!, parseInput(MatchBody, req.body)),
  );

  server.post(
    '/api/v1/knowledge/feedback',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Mark a suggestion helpful or not (one vote per person and suggestion; it bends later rankings)',
        description: IDEMPOTENCY_NOTE.trim(),
        headers: IdempotencyHeaders,
        body: FeedbackBody,
        response: { 200: z.strictObject({ ok: z.literal(true) }), ...errors(400, 401, 404) },
      },
    },
    async (req, reply) => {
      const b = parseInput(FeedbackBody, req.body);
      return idempotent(app, req, reply, { scope: `user:${req.actor!.id}`, request: b }, async (mark) => {
        await recordFeedback(app, req.actor!, b, mark);
        return reply.send({ ok: true as const });
      });
    },
  );
}
