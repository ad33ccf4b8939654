/**
 * Durable syncs per received case on SQLite: starts Kesu as bench/http.ts does (dist, sweeper and
 * dispatcher on, SMTP sink, HTTP SMS gateway), registers N cases one after another while
 * `strace -f -c -e trace=fsync,fdatasync` watches the server, waits until the outbox has
 * delivered their messages, and prints strace's count. Needs strace (and ptrace permission).
 *
 *   npx tsx bench/http/fsyncs.ts 50
 */
import { spawn } from 'node:child_process';
import { HttpClient } from './driver.js';
import { Sinks, ensureBuilt, freshPlace, startKesu } from './server.js';
import { openRows } from './rows.js';

const N = Number(process.argv[2] ?? 50);
ensureBuilt(console.log);
const place = await freshPlace('sqlite', 'fsyncs');
const sinks = await Sinks.start();
const kesu = await startKesu({ place, sinks, mode: 'dist', logFile: `${place.dataDir}/server.log`, log: console.log });
const http = new HttpClient(kesu.base);
const store = openRows('sqlite', place);
try {
  const token = (await http.json<{ token: string }>('POST', '/api/v1/auth/login', { body: { username: 'agent', password: 'kesu-demo' } })).token;
  const body = (n: number) => ({ channel: 'phone', description: `快递漏水 ${n}`, complainant: { name: `客户${n}`, phone: '13800000000', email: `c${n}@example.com` } });
  const intake = (n: number) => http.json('POST', '/api/v1/complaints', { token, body: body(n), headers: { 'idempotency-key': `fsyncs-${n}` } });
  const drained = async () => {
    for (;;) {
      const r = await store.query(`select count(*) as n from outbox where status in ('pending', 'sending')`);
      if (!Number(r[0]!.n)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  for (let i = 0; i < 5; i++) await intake(i); // warm up: jieba, policy, prepared paths
  await drained();
  const strace = spawn('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-p', String(kesu.pid)], { stdio: ['ignore', 'inherit', 'pipe'] });
  let report = '';
  strace.stderr.on('data', (d: Buffer) => (report += d));
  await new Promise((r) => setTimeout(r, 1000));
  const t = Date.now();
  for (let i = 0; i < N; i++) await intake(100 + i);
  const intakeMs = Date.now() - t;
  await drained();
  const totalMs = Date.now() - t;
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('exit', r));
  console.log(
    report
      .split('\n')
      .filter((l) => !/attached|detached/.test(l))
      .join('\n'),
  );
  console.log(`${N} sequential intakes in ${intakeMs} ms; their messages delivered after ${totalMs} ms (mails ${sinks.mails}, SMS ${sinks.sms} including the warm-up)`);
} finally {
  await store.close();
  http.close();
  await kesu.stop();
  await sinks.close();
  await place.drop();
}
