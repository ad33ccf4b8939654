/**
 * Starts issue 4's background parts for `kesu serve`: the outbox dispatcher loop and, when
 * KESU_INBOUND_SMTP_PORT is set, the inbound SMTP listener, with the channel settings the
 * composition root gave the app (`app.settings.channels`).
 */
import type { Config } from '../config.js';
import type { App } from '../services/app.js';
import { startDispatcher } from '../jobs/outbox-dispatcher.js';
import { startInboundSmtp } from './inbound-email.js';

export async function startCustomerChannels(app: App, cfg: Config): Promise<{ lines: string[]; stop(): Promise<void> }> {
  const s = app.settings.channels;
  const stopDispatcher = cfg.channels.dispatchIntervalMs > 0 ? startDispatcher(app, cfg.channels.dispatchIntervalMs) : async () => {};
  const inbound = s.inbound.port !== null ? await startInboundSmtp(app, s) : null;
  const lines = [
    `Customer portal: ${s.publicUrl}/portal`,
    `Outbox: e-mail ${s.smtpUrl ? 'on' : 'off (KESU_SMTP_URL)'}, SMS ${s.sms.provider}, ${s.webhooks.length} webhook(s), ${s.bots.length} staff bot(s)${cfg.channels.dispatchIntervalMs > 0 ? '' : ' — dispatcher disabled'}`,
    ...(inbound ? [`Inbound e-mail (SMTP) on port ${inbound.port}`] : []),
  ];
  return {
    lines,
    async stop() {
      await inbound?.close();
      await stopDispatcher();
    },
  };
}
