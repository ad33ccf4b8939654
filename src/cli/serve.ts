/**
 * `kesu serve`: migrate, seed on first start, warm the caches, listen, run the background jobs;
 * stop gracefully on SIGTERM/SIGINT within a time-out.
 *
 * Start-up order matters: the policies and calendars are loaded *before* the jobs start, so the
 * sweeper's first pass — which may find a weekend's worth of due deadlines — never has to load
 * them from inside its transactions.
 */
import type { Config } from '../config.js';
import type { App } from '../services/app.js';
import { composeApp, serverOptionsFrom } from '../app/compose.js';
import { seedDemo, DEMO_PASSWORD } from '../services/seed-demo.js';
import { buildServer } from '../http/server.js';
import { startSweeper } from '../jobs/deadline-sweeper.js';
import { startCheckpoints } from '../audit/checkpointer.js';
import { startCustomerChannels } from '../channels/start.js';
import { startCaseRelay } from '../services/case-relay.js';
import { startHousekeeping } from '../jobs/housekeeping.js';
import { startReportScheduler } from '../jobs/report-scheduler.js';
import { startRollups } from '../reports/rollups.js';
import { startPurge } from '../jobs/purge.js';
import { startBackups } from '../jobs/backup.js';

export interface RunningServer {
  app: App;
  port: number;
  /** What `kesu serve` prints once it listens: the address and the demo logins. */
  banner: string[];
  /**
   * Stops accepting requests, lets running requests, the running sweep and deliveries finish,
   * then closes the database — or gives up after `cfg.shutdownTimeoutMs`. 'timeout' means some
   * work was cut short (nothing acknowledged is lost: an unfinished transaction rolls back).
   */
  stop(reason: string): Promise<'clean' | 'timeout'>;
}

export async function startServer(cfg: Config, opts: { now?: () => Date; logger?: boolean | object } = {}): Promise<RunningServer> {
  // Database (migrated), contact key, channel settings, file store: src/app/compose.ts.
  const composed = await composeApp(cfg, { now: opts.now });
  const { app, database } = composed;
  const defaults = serverOptionsFrom(cfg);
  const server = await buildServer(app, { ...defaults, logger: opts.logger ?? defaults.logger });
  app.log = server.log;
  const seeded = await seedDemo(app, cfg.policy);
  await app.warm();
  await server.listen({ port: cfg.port, host: cfg.host });
  const stopSweeper = cfg.sweepIntervalMs > 0 ? startSweeper(app, cfg.sweepIntervalMs) : async () => {};
  const channels = await startCustomerChannels(app, cfg); // outbox dispatcher, inbound e-mail
  const relay = startCaseRelay(app, { connectionString: cfg.databaseUrl }); // live updates between instances (PostgreSQL only)
  const checkpoints = startCheckpoints(app, cfg.audit?.checkpointIntervalMs ?? 3_600_000); // signed heads of the audit trail (docs/audit.md)
  const { housekeepingIntervalMs, outboxKeepDays } = cfg.records;
  const stopHousekeeping = housekeepingIntervalMs > 0 ? startHousekeeping(app, housekeepingIntervalMs, { outboxKeepDays }) : async () => {}; // prunes old outbox rows
  const stopReports = cfg.reportIntervalMs ? startReportScheduler(app, cfg.reportIntervalMs) : async () => {}; // scheduled reports (issue 11)
  const rollups = startRollups(app, cfg.reportIntervalMs ?? 0); // the statistics' per-day roll-ups, on the scheduler's period (docs/reports.md)
  const stopPurge = cfg.records.purgeIntervalMs > 0 ? startPurge(app, cfg.records.purgeIntervalMs) : async () => {}; // retention purge (docs/operations.md)
  const backups = cfg.records.backups;
  const stopBackups = backups ? startBackups(app, backups, { databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir, pgBin: cfg.records.pgBin }) : async () => {}; // scheduled backups with rotation (docs/operations.md)
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const banner = [
    `Kesu 客诉 is running on http://${cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${port}  (database: ${database.where}; policy ${seeded.policyKey})`,
    `API docs: http://127.0.0.1:${port}/api/docs`,
    seeded.seeded ? 'Demo organisation created. Sign in with any of these (password for all):' : 'Demo logins (password for all, unless changed):',
    ...seeded.users.map((u) => `  ${u.username.padEnd(12)} ${DEMO_PASSWORD}   ${u.note}`),
    ...channels.lines,
  ];

  let stopping: Promise<'clean' | 'timeout'> | null = null;
  const stop = (reason: string): Promise<'clean' | 'timeout'> => {
    stopping ??= (async () => {
      server.log.info({ reason, timeoutMs: cfg.shutdownTimeoutMs }, 'shutting down');
      const pending = new Set<string>();
      const step = (name: string, p: Promise<unknown>) => {
        pending.add(name);
        return p.catch((e) => server.log.error({ err: e, step: name }, 'shutdown step failed')).finally(() => pending.delete(name));
      };
      // New requests are refused at once; the jobs finish the pass they are in.
      const work = Promise.all([
        step('http', server.close()),
        step('sweeper', stopSweeper()),
        step('channels', channels.stop()),
        step('relay', relay.stop()),
        step('audit', checkpoints.stop()),
        step('housekeeping', stopHousekeeping()),
        step('reports', stopReports()),
        step('rollups', rollups.stop()),
        step('purge', stopPurge()),
        step('backups', stopBackups()),
      ]).then(() => step('database', composed.close()));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), cfg.shutdownTimeoutMs)));
      const outcome = await Promise.race([work.then(() => 'clean' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') server.log.error({ unfinished: [...pending] }, 'shutdown timed out: exiting with work unfinished');
      else server.log.info('stopped');
      return outcome;
    })();
    return stopping;
  };
  return { app, port, banner, stop };
}

export async function serve(cfg: Config): Promise<void> {
  const running = await startServer(cfg);
  const onSignal = (signal: string) => {
    // A second signal while stopping: the operator wants out now.
    if (stopRequested) process.exit(1);
    stopRequested = true;
    void running.stop(signal).then((outcome) => process.exit(outcome === 'clean' ? 0 : 1));
  };
  let stopRequested = false;
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // Printed once the signals are handled: whoever waits for this line may stop the server at once.
  console.log(running.banner.join('\n'));
}
