/**
 * The fonts every Kesu PDF is set in: Noto Sans SC (regular and bold) from the npm package
 * @expo-google-fonts/noto-sans-sc, so a document looks the same on every host and never
 * depends on the fonts installed there. pdfkit embeds only the glyphs a document uses (a subset).
 * The files are read once per process and kept (about 20 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const FONT_FILES = {
  regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
} as const;

let cached: { regular: Buffer; bold: Buffer } | null = null;

export function fonts(): { regular: Buffer; bold: Buffer } {
  cached ??= { regular: readFileSync(FONT_FILES.regular), bold: readFileSync(FONT_FILES.bold) };
  return cached;
}
