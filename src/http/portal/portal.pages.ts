/**
 * The portal's pages as plain server-rendered HTML: no script, one small stylesheet, readable on
 * a phone. Every value is escaped; nothing here reads the database.
 */
import { randomUUID } from 'node:crypto';
import type { Locale } from '../../domain/errors.js';
import type { Satisfaction } from '../../domain/complaint/types.js';
import type { CustomerView } from '../../services/customer/customer-view.js';
import { formatInstant } from '../../channels/templates.js';
import { formatAccessCode } from '../../channels/secrets.js';
import { sizeText } from '../../channels/attachments.js';
import { DEMANDS, SATISFACTION, eventLabel, stateLabel, t, type PortalKey } from './portal.i18n.js';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f7f9}
header{background:#1d4ed8;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;justify-content:space-between}
header a{color:#fff;text-decoration:none;font-weight:600}
header nav a{font-weight:400;margin-left:.6rem;opacity:.9}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border-radius:.6rem;padding:1rem;margin:0 0 1rem;box-shadow:0 1px 2px rgba(0,0,0,.06)}
label{display:block;margin:.8rem 0 .25rem;font-weight:600}
.hint{color:#59636e;font-size:.9rem;margin:.2rem 0}
input[type=text],input[type=tel],input[type=email],textarea{width:100%;font:inherit;padding:.6rem;border:1px solid #c9ced6;border-radius:.4rem;background:#fff}
textarea{min-height:8rem}
.choice{display:flex;flex-wrap:wrap;gap:.4rem .9rem;margin:.3rem 0}
.choice label{font-weight:400;margin:0;display:flex;gap:.35rem;align-items:center}
fieldset{border:0;padding:0;margin:.6rem 0}
legend{font-weight:600;padding:0}
button,.button{display:block;width:100%;margin:1.2rem 0 .4rem;padding:.8rem;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:.5rem;text-align:center;text-decoration:none}
.button.secondary{background:#fff;color:#1d4ed8;border:1px solid #1d4ed8}
.problems{background:#fff4f4;border:1px solid #f3b5b5;color:#8a1c1c;border-radius:.5rem;padding:.6rem 1rem;margin:0 0 1rem}
.notice{background:#effaf3;border:1px solid #9fd8b4;border-radius:.5rem;padding:.6rem 1rem}
.big{font-size:1.6rem;font-weight:700;letter-spacing:.06em;font-family:ui-monospace,Menlo,Consolas,monospace}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:0}
dt{color:#59636e}dd{margin:0;font-weight:600}
dl.stack{grid-template-columns:1fr;gap:0}dl.stack dd{margin:0 0 .6rem}.big{white-space:nowrap}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline li{border-left:3px solid #c7d2fe;padding:.1rem 0 .8rem .8rem;margin-left:.3rem}
.when{color:#59636e;font-size:.85rem}
.quote{white-space:pre-wrap;background:#f6f7f9;border-radius:.4rem;padding:.5rem;margin:.3rem 0 0}
footer{text-align:center;color:#59636e;font-size:.8rem;padding:2rem 1rem}
`;

export interface PageCtx {
  locale: Locale;
  organisation: string;
  timeZone: string;
  /** Path of this page without the lang query, for the language links. */
  path: string;
}

export function layout(ctx: PageCtx, title: string, body: string): string {
  const langs: [Locale, string][] = [
    ['zh-CN', '简体'],
    ['zh-TW', '繁體'],
    ['en', 'English'],
  ];
  const sep = ctx.path.includes('?') ? '&' : '?';
  return `<!doctype html>
<html lang="${ctx.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — ${esc(ctx.organisation)}</title><style>${CSS}</style></head>
<body><header><a href="/portal?lang=${ctx.locale}">${esc(ctx.organisation)}</a>
<nav aria-label="${esc(t(ctx.locale, 'lang'))}">${langs.map(([l, name]) => (l === ctx.locale ? '' : `<a href="${esc(`${ctx.path}${sep}lang=${l}`)}" hreflang="${l}">${name}</a>`)).join('')}</nav></header>
<main>${body}</main><footer>Kesu 客诉</footer></body></html>`;
}

const q = (locale: Locale) => `?lang=${locale}`;

export function homePage(ctx: PageCtx): string {
  const L = ctx.locale;
  return layout(
    ctx,
    t(L, 'portal'),
    `<h1>${esc(ctx.organisation)}</h1><div class="card"><p>${esc(t(L, 'home_intro'))}</p>
<a class="button" href="/portal/submit${q(L)}">${esc(t(L, 'submit'))}</a>
<a class="button secondary" href="/portal/track${q(L)}">${esc(t(L, 'track'))}</a></div>`,
  );
}

export function messagePage(ctx: PageCtx, title: string, message: string, extra = ''): string {
  return layout(ctx, title, `<h1>${esc(title)}</h1><div class="card"><p>${esc(message)}</p>${extra}<a class="button secondary" href="/portal${q(ctx.locale)}">${esc(t(ctx.locale, 'back'))}</a></div>`);
}

function problemsBlock(locale: Locale, problems: string[]): string {
  if (!problems.length) return '';
  return `<div class="problems" role="alert"><p>${esc(t(locale, 'problems'))}</p><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul></div>`;
}

export interface SubmitValues {
  kind?: string;
  title?: string;
  description?: string;
  order?: string;
  demands?: string[];
  anonymous?: boolean;
  name?: string;
  phone?: string;
  email?: string;
}

export function submitPage(ctx: PageCtx, o: { nonce: string; values?: SubmitValues; problems?: string[]; maxFiles: number; maxBytes: number; kinds: string[] }): string {
  const L = ctx.locale;
  const v = o.values ?? {};
  const kind = v.kind ?? 'complaint';
  const radio = (k: string) => `<label><input type="radio" name="kind" value="${k}"${kind === k ? ' checked' : ''}> ${esc(t(L, `kind_${k}` as PortalKey))}</label>`;
  const demand = (d: string) => `<label><input type="checkbox" name="demands" value="${d}"${v.demands?.includes(d) ? ' checked' : ''}> ${esc(t(L, `demand_${d}` as PortalKey))}</label>`;
  const text = (name: keyof SubmitValues, type: string, extra = '', label: PortalKey = name as PortalKey) =>
    `<label for="${name}">${esc(t(L, label))}</label><input id="${name}" name="${name}" type="${type}" value="${esc(v[name] as string | undefined)}"${extra}>`;
  return layout(
    ctx,
    t(L, 'submit_title'),
    `<h1>${esc(t(L, 'submit_title'))}</h1>${problemsBlock(L, o.problems ?? [])}
<form class="card" method="post" action="/portal/submit${q(L)}" enctype="multipart/form-data">
<input type="hidden" name="nonce" value="${esc(o.nonce)}">
${o.kinds.length > 1 ? `<fieldset><legend>${esc(t(L, 'kind'))}</legend><div class="choice">${o.kinds.map(radio).join('')}</div></fieldset>` : `<input type="hidden" name="kind" value="${esc(o.kinds[0] ?? 'complaint')}">`}
${text('title', 'text', ' maxlength="200"', 'subject')}
<label for="description">${esc(t(L, 'description'))}</label><p class="hint">${esc(t(L, 'description_hint'))}</p>
<textarea id="description" name="description" required maxlength="20000">${esc(v.description)}</textarea>
${text('order', 'text', ' maxlength="100"')}
<fieldset><legend>${esc(t(L, 'demands'))}</legend><div class="choice">${DEMANDS.map(demand).join('')}</div></fieldset>
<div class="choice"><label><input type="checkbox" id="anonymous" name="anonymous" value="1"${v.anonymous ? ' checked' : ''}> ${esc(t(L, 'anonymous'))}</label></div>
${text('name', 'text', ' maxlength="100" autocomplete="name"')}
${text('phone', 'tel', ' maxlength="32" autocomplete="tel"')}
${text('email', 'email', ' maxlength="200" autocomplete="email"')}
<p class="hint">${esc(t(L, 'contact_hint'))}</p>
<label for="files">${esc(t(L, 'files'))}</label><p class="hint">${esc(t(L, 'files_hint', { n: o.maxFiles, size: sizeText(o.maxBytes) }))}</p>
<input id="files" name="files" type="file" multiple accept="image/*,application/pdf,text/plain,audio/*,video/mp4,.doc,.docx,.xls,.xlsx">
<button type="submit">${esc(t(L, 'send'))}</button></form>`,
  );
}

export function submittedPage(ctx: PageCtx, o: { number: string; accessCode: string | null; promisedAt: string | null }): string {
  const L = ctx.locale;
  return layout(
    ctx,
    t(L, 'submitted'),
    `<h1>${esc(t(L, 'submitted'))}</h1><div class="card"><dl class="stack">
<dt>${esc(t(L, 'your_number'))}</dt><dd><span class="big" id="case-number">${esc(o.number)}</span></dd>
${o.accessCode ? `<dt>${esc(t(L, 'your_code'))}</dt><dd><span class="big" id="access-code">${esc(formatAccessCode(o.accessCode))}</span></dd>` : ''}
${o.promisedAt ? `<dt>${esc(t(L, 'promised'))}</dt><dd>${esc(formatInstant(o.promisedAt, L, ctx.timeZone))}</dd>` : ''}
</dl><p class="${o.accessCode ? 'notice' : 'problems'}">${esc(t(L, o.accessCode ? 'keep_code' : 'code_not_shown'))}</p>
<a class="button" href="/portal/track?number=${encodeURIComponent(o.number)}&amp;lang=${L}">${esc(t(L, 'track'))}</a></div>`,
  );
}

/**
 * The tracking form. After a failed lookup (`failed`) the number the customer typed comes back
 * filled in (never the code), the alert is announced, and the code field takes the focus and is
 * described by the alert, so a screen reader reads why on landing there. The page sends no
 * script: `autofocus` does it.
 */
export function trackPage(ctx: PageCtx, o: { number?: string; failed?: boolean }): string {
  const L = ctx.locale;
  const invalid = o.failed ? ' aria-invalid="true" aria-describedby="track-error"' : '';
  // Chinese sentences follow one another without a space.
  const sp = L === 'en' ? ' ' : '';
  return layout(
    ctx,
    o.failed ? `${t(L, 'not_found')}${sp}${t(L, 'track_title')}` : t(L, 'track_title'),
    `<h1>${esc(t(L, 'track_title'))}</h1>${o.failed ? `<div class="problems" role="alert" id="track-error"><p>${esc(t(L, 'not_found'))}${sp}${esc(t(L, 'retype_code'))}</p></div>` : ''}
<form class="card" method="post" action="/portal/track${q(L)}"><p class="hint">${esc(t(L, 'track_hint'))}</p>
<label for="number">${esc(t(L, 'number'))}</label><input id="number" name="number" type="text" required autocomplete="off" autocapitalize="characters" value="${esc(o.number)}"${invalid}>
<label for="code">${esc(t(L, 'code'))}</label><input id="code" name="code" type="text" required autocomplete="off" autocapitalize="characters"${invalid}${o.failed ? ' autofocus' : ''}>
<button type="submit">${esc(t(L, 'open'))}</button></form>`,
  );
}

function surveyFields(L: Locale): string {
  const levels: Satisfaction[] = ['very_satisfied', 'satisfied', 'neutral', 'unsatisfied'];
  const group = (name: string, legend: string, required: boolean) =>
    `<fieldset><legend>${esc(legend)}</legend><div class="choice">${levels.map((l) => `<label><input type="radio" name="${name}" value="${l}"${required ? ' required' : ''}> ${esc(SATISFACTION[l][L])}</label>`).join('')}</div></fieldset>`;
  return `${group('satisfaction', t(L, 'overall'), true)}${group('attitude', t(L, 'attitude'), false)}${group('efficiency', t(L, 'efficiency'), false)}${group('result', t(L, 'result'), false)}
<label for="comment">${esc(t(L, 'comment'))}</label><textarea id="comment" name="comment" maxlength="4000"></textarea>
<button type="submit">${esc(t(L, 'survey_send'))}</button>`;
}

export function surveyPage(ctx: PageCtx, o: { token: string; number: string; expiresAt: string }): string {
  const L = ctx.locale;
  return layout(
    ctx,
    t(L, 'survey_title'),
    `<h1>${esc(t(L, 'survey_title'))}</h1><form class="card" method="post" action="/portal/survey/${esc(o.token)}${q(L)}"><input type="hidden" name="nonce" value="${randomUUID()}">
<p>${esc(t(L, 'your_number'))}：<strong>${esc(o.number)}</strong></p><p class="hint">${esc(t(L, 'survey_intro'))}</p>${surveyFields(L)}</form>`,
  );
}

export function casePage(ctx: PageCtx, o: { view: CustomerView; number: string; code: string; notice?: string; problems?: string[]; maxFiles: number; maxBytes: number }): string {
  const L = ctx.locale;
  const v = o.view;
  const by = { you: t(L, 'by_you'), service: t(L, 'by_service'), department: t(L, 'by_department') };
  const items = v.timeline
    .map((e) => {
      const extra: string[] = [];
      if (e.satisfaction) extra.push(SATISFACTION[e.satisfaction][L]);
      if (e.dueAt) extra.push(formatInstant(e.dueAt, L, ctx.timeZone));
      const files = e.attachments?.length ? `<div class="hint">📎 ${e.attachments.map(esc).join('、')}</div>` : '';
      return `<li><div class="when">${esc(formatInstant(e.at, L, ctx.timeZone))} · ${esc(by[e.by])}</div><div>${esc(eventLabel(e.code, L))}${extra.length ? `：${esc(extra.join(' '))}` : ''}</div>${e.text ? `<div class="quote">${esc(e.text)}</div>` : ''}${files}</li>`;
    })
    .reverse()
    .join('');
  // Each form carries a one-time nonce: its Idempotency-Key, so a double submit acts once.
  const hidden = `<input type="hidden" name="number" value="${esc(o.number)}"><input type="hidden" name="code" value="${esc(o.code)}">`;
  const nonce = () => `<input type="hidden" name="nonce" value="${randomUUID()}">`;
  const survey = v.surveyOpen
    ? `<h2>${esc(t(L, 'survey_title'))}</h2><form class="card" id="survey" method="post" action="/portal/survey${q(L)}">${hidden}${nonce()}<p class="hint">${esc(t(L, 'survey_intro'))}</p>${surveyFields(L)}</form>`
    : '';
  const supplement = v.canSupplement
    ? `<h2>${esc(t(L, 'supplement_title'))}</h2><form class="card" id="supplement" method="post" action="/portal/supplement${q(L)}" enctype="multipart/form-data">${hidden}${nonce()}
<label for="text">${esc(t(L, 'supplement_text'))}</label><textarea id="text" name="text" maxlength="8000"></textarea>
<label for="sfiles">${esc(t(L, 'files'))}</label><p class="hint">${esc(t(L, 'files_hint', { n: o.maxFiles, size: sizeText(o.maxBytes) }))}</p>
<input id="sfiles" name="files" type="file" multiple accept="image/*,application/pdf,text/plain,audio/*,video/mp4,.doc,.docx,.xls,.xlsx">
<button type="submit">${esc(t(L, 'supplement_send'))}</button></form>`
    : '';
  return layout(
    ctx,
    `${t(L, 'your_number')} ${o.number}`,
    `<h1>${esc(t(L, 'your_number'))} ${esc(o.number)}</h1>${o.notice ? `<div class="notice" role="status"><p>${esc(o.notice)}</p></div>` : ''}${problemsBlock(L, o.problems ?? [])}
<div class="card"><dl><dt>${esc(t(L, 'state'))}</dt><dd id="case-state">${esc(stateLabel(v.state, L, v.cycle))}</dd>
<dt>${esc(t(L, 'received_at'))}</dt><dd>${esc(formatInstant(v.receivedAt, L, ctx.timeZone))}</dd>
${v.promisedAt ? `<dt>${esc(t(L, 'promised'))}</dt><dd id="promised-at">${esc(formatInstant(v.promisedAt, L, ctx.timeZone))}</dd>` : ''}</dl></div>
${survey}
<h2>${esc(t(L, 'timeline'))}</h2><div class="card"><ol class="timeline" id="timeline">${items}</ol></div>
${v.attachments.length ? `<h2>${esc(t(L, 'attachments'))}</h2><div class="card"><ul>${v.attachments.map((a) => `<li>${esc(a.name)} <span class="hint">(${esc(sizeText(a.size))})</span></li>`).join('')}</ul></div>` : ''}
${supplement}`,
  );
}
