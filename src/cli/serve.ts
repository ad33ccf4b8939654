/** `kesu serve`: migrate, seed on first start, listen, sweep deadlines; stop cleanly on signals. */
import type { Config } from '../config.js';
import { openDatabase } from '../store/db.js';
import { migrateToLatest } from '../store/migrate.js';
import { createApp } from '../services/app.js';
import { seedDemo, DEMO_PASSWORD } from '../services/seed-demo.js';
import { buildServer } from '../http/server.js';
import { startSweeper } from '../jobs/deadline-sweeper.js';
import { startCustomerChannels } from '../channels/start.js';
import { startCaseRelay } from '../services/case-relay.js';

export async function serve(cfg: Config): Promise<void> {
  const database = openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  await migrateToLatest(database.db);
  const app = createApp(database);
  const server = await buildServer(app, { logger: { level: cfg.logLevel } });
  app.log = server.log;
  const seeded = await seedDemo(app, cfg.policy);
  const stopSweeper = cfg.sweepIntervalMs > 0 ? startSweeper(app, cfg.sweepIntervalMs) : async () => {};
  const channels = await startCustomerChannels(app, cfg); // issue 4: outbox dispatcher, inbound e-mail
  const relay = startCaseRelay(app, { connectionString: cfg.databaseUrl }); // live updates between instances (PostgreSQL only)
  await server.listen({ port: cfg.port, host: cfg.host });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const lines = [
    `Kesu 客诉 is running on http://${cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host}:${port}  (database: ${database.where}; policy ${seeded.policyKey})`,
    `API docs: http://127.0.0.1:${port}/api/docs`,
    seeded.seeded ? 'Demo organisation created. Sign in with any of these (password for all):' : 'Demo logins (password for all, unless changed):',
    ...seeded.users.map((u) => `  ${u.username.padEnd(12)} ${DEMO_PASSWORD}   ${u.note}`),
    ...channels.lines,
  ];
  console.log(lines.join('\n'));
  const shutdown = async (signal: string) => {
    server.log.info({ signal }, 'shutting down');
    await stopSweeper();
    await channels.stop();
    await server.close();
    await relay.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
