/**
 * Languages: Simplified Chinese (default), Traditional Chinese, English. The three catalogues
 * in ./locales have identical keys (test/web/i18n.test.ts checks it, and that every key the
 * code uses exists). The choice is remembered in localStorage.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import zhTW from './locales/zh-TW.json';
import en from './locales/en.json';
import type { I18nText, Locale } from '../api/client';

export const LOCALES: Locale[] = ['zh-CN', 'zh-TW', 'en'];
const STORAGE_KEY = 'kesu.lang';

function initialLanguage(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return LOCALES.includes(saved as Locale) ? (saved as Locale) : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, 'zh-TW': { translation: zhTW }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
// The page's language from the start (CSS word-breaking rules and screen readers read it).
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export function setLanguage(l: Locale): void {
  localStorage.setItem(STORAGE_KEY, l);
  void i18n.changeLanguage(l);
  document.documentElement.lang = l;
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
