/**
 * Staff alerts to group bots, each in its documented message format:
 * - 企业微信 (WeCom) group robot: POST {msgtype: 'markdown', markdown: {content}} to
 *   …/cgi-bin/webhook/send?key=…; success is {errcode: 0}.
 * - 钉钉 (DingTalk) custom robot: POST {msgtype: 'markdown', markdown: {title, text}} to
 *   …/robot/send?access_token=…; with 加签, `timestamp` (ms) and `sign` =
 *   urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))) are added to the URL;
 *   success is {errcode: 0}.
 * - 飞书 (Feishu) custom bot: POST {msg_type: 'post', content: {post: {zh_cn: {title, content}}}}
 *   to …/bot/v2/hook/…; with 签名校验, `timestamp` (s) and `sign` =
 *   base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")) go in the body; success is
 *   {code: 0} (older bots: {StatusCode: 0}).
 * Messages carry the case number, the event and times — no customer data (groups may be wide).
 */
import { createHmac } from 'node:crypto';
import type { BotConfig } from './settings.js';
import type { StaffMessage } from './templates.js';
import { DeliveryError, httpRequest, type SendResult } from './provider.js';

export function dingtalkSign(secret: string, timestampMs: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function feishuSign(secret: string, timestampS: string): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

function markdown(m: StaffMessage, bold: (s: string) => string): string {
  return [`### ${m.title}`, ...m.lines.map(([k, v]) => `> ${bold(k)}：${v}`), ...(m.link ? [`[${m.link}](${m.link})`] : [])].join('\n');
}

/** The request a bot expects for one message (exported for tests and for previews). */
export function botRequest(bot: BotConfig, m: StaffMessage, now: Date): { url: string; body: Record<string, unknown> } {
  switch (bot.kind) {
    case 'wecom':
      return { url: bot.url, body: { msgtype: 'markdown', markdown: { content: markdown(m, (s) => `**${s}**`) } } };
    case 'dingtalk': {
      let url = bot.url;
      if (bot.secret) {
        const ts = String(now.getTime());
        url += `${url.includes('?') ? '&' : '?'}timestamp=${ts}&sign=${encodeURIComponent(dingtalkSign(bot.secret, ts))}`;
      }
      return { url, body: { msgtype: 'markdown', markdown: { title: m.title, text: markdown(m, (s) => `**${s}**`) }, at: { isAtAll: false } } };
    }
    case 'feishu': {
      const rows: Record<string, string>[][] = m.lines.map(([k, v]) => [{ tag: 'text', text: `${k}：${v}` }]);
      if (m.link) rows.push([{ tag: 'a', text: m.link, href: m.link }]);
      const body: Record<string, unknown> = { msg_type: 'post', content: { post: { zh_cn: { title: m.title, content: rows } } } };
      if (bot.secret) {
        const ts = String(Math.floor(now.getTime() / 1000));
        body.timestamp = ts;
        body.sign = feishuSign(bot.secret, ts);
      }
      return { url: bot.url, body };
    }
  }
}

export async function sendToBot(bot: BotConfig, m: StaffMessage, idempotencyKey: string, now: Date, timeoutMs: number): Promise<SendResult> {
  const { url, body } = botRequest(bot, m, now);
  const r = await httpRequest(url, { method: 'POST', timeoutMs, body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-kesu-delivery': idempotencyKey } });
  let j: { errcode?: number; errmsg?: string; code?: number; msg?: string; StatusCode?: number } = {};
  try {
    j = JSON.parse(r.text);
  } catch {
    throw new DeliveryError(`${bot.kind} bot answered non-JSON: ${r.text.slice(0, 200)}`, false);
  }
  const code = bot.kind === 'feishu' ? (j.code ?? j.StatusCode) : j.errcode;
  if (code !== 0) throw new DeliveryError(`${bot.kind} bot refused: ${code} ${j.errmsg ?? j.msg ?? ''}`, false);
  return {};
}
