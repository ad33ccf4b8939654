/** The caller's language: `?lang=`, then Accept-Language, defaulting to Simplified Chinese. */
import type { FastifyRequest } from 'fastify';
import type { Locale } from '../domain/errors.js';

export function localeOf(req: FastifyRequest): Locale {
  const q = (req.query as { lang?: string } | undefined)?.lang;
  const h = `${q ?? ''},${req.headers['accept-language'] ?? ''}`.toLowerCase();
  for (const part of h.split(',')) {
    const tag = part.split(';')[0]!.trim();
    if (!tag) continue;
    if (tag.startsWith('en')) return 'en';
    if (tag === 'zh-tw' || tag === 'zh-hk' || tag === 'zh-hant' || tag.startsWith('zh-hant')) return 'zh-TW';
    if (tag.startsWith('zh')) return 'zh-CN';
  }
  return 'zh-CN';
}
