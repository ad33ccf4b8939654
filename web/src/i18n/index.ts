/**
 * Languages: Simplified Chinese (default), Traditional Chinese, English. The three catalogues
 * in ./locales have identical keys (test/web/i18n.test.ts checks it, and that every key the
 * code uses exists). The choice is remembered in localStorage.
 *
 * Only zh-CN (the default and the fallback) travels with the first load; zh-TW and en are chunks
 * of their own, loaded before the first render when chosen (`catalogueReady`, main.tsx) or when
 * the reader switches (`setLanguage`) — issue 14: nobody carries the two catalogues they do not read.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import type { I18nText, Locale } from '../api/client';

export const LOCALES: Locale[] = ['zh-CN', 'zh-TW', 'en'];
const STORAGE_KEY = 'kesu.lang';

const LATER: Record<Exclude<Locale, 'zh-CN'>, () => Promise<{ default: Record<string, unknown> }>> = {
  'zh-TW': () => import('./locales/zh-TW.json'),
  en: () => import('./locales/en.json'),
};

function initialLanguage(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return LOCALES.includes(saved as Locale) ? (saved as Locale) : 'zh-CN';
}

/** The catalogue of `l` in i18next (at once for zh-CN); a failed load leaves zh-CN's words showing. */
async function loadCatalogue(l: Locale): Promise<void> {
  if (l === 'zh-CN' || i18n.hasResourceBundle(l, 'translation')) return;
  const m = await LATER[l]();
  i18n.addResourceBundle(l, 'translation', m.default, true, true);
}

const initial = initialLanguage();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
// The page's language from the start (CSS word-breaking rules and screen readers read it).
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

/** Resolves once the remembered language's catalogue is in (the console renders after it). */
export const catalogueReady: Promise<void> = loadCatalogue(initial).catch(() => undefined);

export function setLanguage(l: Locale): void {
  localStorage.setItem(STORAGE_KEY, l);
  document.documentElement.lang = l;
  void loadCatalogue(l)
    .catch(() => undefined)
    .then(() => i18n.changeLanguage(l));
}

export function currentLocale(): Locale {
  return (LOCALES.includes(i18n.language as Locale) ? i18n.language : 'zh-CN') as Locale;
}

/** Text from the policy or the lifecycle table in the current language, falling back to zh-CN. */
export function pick(text: I18nText | Record<string, string> | undefined | null, locale: Locale = currentLocale()): string {
  if (!text) return '';
  return (text as Record<string, string | undefined>)[locale] ?? text['zh-CN'] ?? '';
}

export default i18n;
