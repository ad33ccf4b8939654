/**
 * Turns zod validation failures into field problems with messages in all three UI languages,
 * so the HTTP layer can answer in the caller's language without validating twice on success.
 */
import { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import zhTW from 'zod/v4/locales/zh-TW.js';
import { AppError, LOCALES, type FieldProblem, type Locale, type Messages } from './errors.js';

const errorMaps = { 'zh-CN': zhCN().localeError, 'zh-TW': zhTW().localeError, en: en().localeError } as const;

/** `['a', 2, 'b']` → `a[2].b` */
export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * A schema's own message in the three languages: "zh-CN|en" or "zh-CN|en|zh-TW" (zh-TW falls
 * back to the zh-CN half); a message without "|" is the same in every language.
 */
export function ownMessage(text: string): Messages {
  const [zh = text, en = zh, tw = zh] = text.split('|');
  return { 'zh-CN': zh, 'zh-TW': tw, en };
}

/** Parses `data` or throws `AppError('invalid_input')` naming every failing field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.output<S> {
  const first = schema.safeParse(data);
  if (first.success) return first.data;
  const byLocale = {} as Record<Locale, z.core.$ZodIssue[]>;
  for (const locale of Object.keys(errorMaps) as Locale[]) {
    const r = schema.safeParse(data, { error: errorMaps[locale] });
    byLocale[locale] = r.success ? [] : r.error.issues;
  }
  const fields: FieldProblem[] = first.error.issues.map((issue, i) => {
    // An unknown key is reported on the object; name the key itself so the caller sees it.
    const keys = issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [];
    const path = pathText([...(prefix ? [prefix] : []), ...issue.path, ...keys]);
    const pick = (l: Locale) => byLocale[l][i]?.message ?? issue.message;
    // A message the schema itself gives (a refinement, or `.regex(re, '…')`) is the same under
    // every locale's error map; written as "zh-CN|en" or "zh-CN|en|zh-TW", it is split per
    // language, so a reader never sees both halves. zod's own messages differ per locale.
    const own = LOCALES.every((l) => pick(l) === issue.message);
    return {
      path: path || '(body)',
      message: own ? ownMessage(issue.message) : { 'zh-CN': pick('zh-CN'), 'zh-TW': pick('zh-TW'), en: pick('en') },
    };
  });
  throw new AppError('invalid_input', fields.map((f) => `${f.path}: ${f.message.en}`).join('; '), fields);
}
