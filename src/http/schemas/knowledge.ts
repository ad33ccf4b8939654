/** The experience library (issue 13 §4/§6) as the API answers it. */
import { z } from 'zod';
import type { Article as ArticleType, ArticleSummary as ArticleSummaryType, ArticleVersion as ArticleVersionType } from '../../services/knowledge.js';
import type { MatchResult as MatchResultType } from '../../services/knowledge-match.js';
import type { Describes } from './common.js';
import { named } from './registry.js';

const status = z.enum(['draft', 'published', 'retired']);
const content = {
  title: z.string(),
  symptom: z.string(),
  cause: z.string(),
  steps: z.array(z.string()),
  /** Phone-script lines for the situation. */
  scripts: z.array(z.string()),
  category: z.string().nullable(),
  products: z.array(z.string()),
  /** The policy id the article applies to; null: any. */
  policyId: z.string().nullable(),
  status,
};

export const Article = named(
  'KnowledgeArticle',
  z.strictObject({ id: z.string(), version: z.number().int(), ...content, sourceComplaintId: z.string().nullable(), editedBy: z.string(), editedAt: z.string(), createdAt: z.string() }),
  'An experience article (经验), its current version',
);

export const ArticleVersion = named(
  'KnowledgeArticleVersion',
  z.strictObject({ version: z.number().int(), ...content, editedBy: z.string(), editedAt: z.string(), note: z.string().nullable() }),
  'One saved version of an experience article',
);

export const ArticleSummary = named(
  'KnowledgeArticleSummary',
  z.strictObject({ id: z.string(), title: z.string(), status, category: z.string().nullable(), version: z.number().int(), updatedAt: z.string() }),
  'An experience article in the library list',
);

const Reasons = z.strictObject({
  /** Words of the text the suggestion shares, the most telling first. */
  sharedTerms: z.array(z.string()),
  sameCategory: z.boolean(),
  sharedProducts: z.array(z.string()),
});

export const MatchResult = named(
  'KnowledgeMatch',
  z.strictObject({
    articles: z.array(z.strictObject({ id: z.string(), title: z.string(), symptom: z.string(), steps: z.array(z.string()), scripts: z.array(z.string()), category: z.string().nullable(), score: z.number(), reasons: Reasons })),
    cases: z.array(
      z.strictObject({
        id: z.string(),
        number: z.string(),
        title: z.string(),
        category: z.string().nullable(),
        solution: z.string(),
        satisfaction: z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied']).nullable(),
        score: z.number(),
        reasons: Reasons,
      }),
    ),
  }),
  'Experience articles and similar resolved cases for a complaint text, each with why it matched',
);

const _a: Describes<typeof Article, ArticleType> = true;
const _v: Describes<typeof ArticleVersion, ArticleVersionType> = true;
const _s: Describes<typeof ArticleSummary, ArticleSummaryType> = true;
const _m: Describes<typeof MatchResult, MatchResultType> = true;
(void _a, _v, _s, _m);
