/**
 * The inbound SMTP listener (smtp-server): accepts mail for the complaints address and hands each
 * message to `receiveEmail`. It only receives — it never relays — and answers 451 (try again
 * later) when a message could not be stored, so the sending server retries; the Message-ID makes
 * that retry harmless. Put it behind the organisation's MTA (which does TLS, spam filtering and
 * forwarding to this port); STARTTLS and AUTH are not offered here.
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { App } from '../services/app.js';
import { receiveEmail, type InboundResult } from '../services/receive-email.js';
import type { ChannelSettings } from './settings.js';

export interface InboundListener {
  port: number;
  close(): Promise<void>;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startInboundSmtp(app: App, s: ChannelSettings, opts: { port?: number; host?: string; onMessage?: (r: InboundResult) => void } = {}): Promise<InboundListener> {
  const server = new SMTPServer({
    name: 'kesu',
    banner: 'Kesu complaints',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: s.inbound.maxBytes,
    logger: false,
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      void (async () => {
        try {
          const raw = await readAll(stream);
          if (stream.sizeExceeded) return callback(smtpError('message too large', 552));
          const mail = await simpleParser(raw);
          const envelopeFrom = session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address;
          const r = await receiveEmail(app, s, mail, envelopeFrom);
          app.log.info({ inbound: r }, 'inbound e-mail');
          opts.onMessage?.(r);
          callback();
        } catch (e) {
          const err = e as { code?: string; message?: string };
          app.log.error({ err: e }, 'inbound e-mail failed');
          // The policy does not accept the e-mail channel: refuse for good; anything else, try later.
          if (err.code === 'invalid_input') callback(smtpError('complaints by e-mail are not accepted here', 550));
          else callback(smtpError('temporary failure, try again later', 451));
        }
      })();
    },
  });
  server.on('error', (e) => app.log.error({ err: e }, 'inbound SMTP error'));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port ?? s.inbound.port ?? 2525, opts.host ?? s.inbound.host, () => {
      const a = server.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
