/** Reading a PDF the exports wrote back as text (poppler's pdftotext, layout kept). */
import { execFileSync } from 'node:child_process';

export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}
