/**
 * The policy's `highlights` section (issue 13 §5, seed 002 篇3: staff read less because key
 * information is marked): the product catalogue whose names are marked in a complaint text, and
 * the signal words (投诉 / 曝光 / 律师 / 12315 …) that suggest a grade or the 恶性 flag to the
 * specialist. Optional: without it the defaults below apply (no catalogue, the common signals).
 */
import { z } from 'zod';

const codeText = z.string().regex(/^[a-z0-9_]+$/);

/** What a signal word suggests: a grade (a grade code, or `higher` = one above the default grade) and/or the 恶性 flag. */
const suggestion = z.strictObject({
  grade: z.union([z.literal('higher'), codeText]).optional(),
  vicious: z.boolean().default(false),
});

const signal = z.strictObject({
  /** Words or phrases, matched as they are written (case-insensitive for Latin letters). */
  words: z.array(z.string().min(1)).min(1),
  suggests: suggestion.prefault({}),
});

export type HighlightSignal = z.output<typeof signal>;

/**
 * The common signals of an escalating customer: media exposure (恶性, 001 篇3 §10), regulators and
 * hotlines (12315 consumer association, 12345 government hotline), lawyers and courts.
 */
export const DEFAULT_SIGNALS: HighlightSignal[] = [
  { words: ['曝光', '媒体', '记者', '电视台', '微博', '抖音', '网上发帖', '上热搜'], suggests: { grade: 'higher', vicious: true } },
  { words: ['律师', '起诉', '法院', '诉讼', '仲裁'], suggests: { grade: 'higher', vicious: false } },
  { words: ['12315', '12345', '消协', '消费者协会', '市场监管', '工商局', '举报'], suggests: { grade: 'higher', vicious: false } },
  { words: ['投诉', '再次投诉', '多次投诉', '第三次'], suggests: { vicious: false } },
];

export const highlights = z
  .strictObject({
    /** Product or service names marked in complaint texts (the organisation's catalogue). */
    products: z.array(z.string().min(1)).default(() => []),
    /** Signal words and what they suggest; replaces the defaults when given. */
    signals: z.array(signal).default(() => DEFAULT_SIGNALS),
  })
  .prefault({});

export type HighlightsPolicy = z.output<typeof highlights>;
