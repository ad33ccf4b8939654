/**
 * The delivery sinks of the HTTP bench in a worker thread of their own: an SMTP server that takes
 * every message and a generic HTTP SMS gateway that answers 200. They run beside the load
 * clients, not on their event loop: in one thread, parsing ~3 messages per intake delayed the
 * clients' own reading of answers, and the bench measured itself (server-side queue pages took
 * 2 ms at p50 during a burst while the clients saw 170 ms). Counts go to the parent every 100 ms
 * and once more before closing. Plain JavaScript: a worker does not inherit tsx's loader.
 */
import { createServer } from 'node:http';
import { parentPort } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

const port = parentPort;
let mails = 0;
let sms = 0;
let told = '';
const tell = () => {
  const now = `${mails}/${sms}`;
  if (now !== told) port.postMessage({ kind: 'counts', mails, sms });
  told = now;
};

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      mails++;
      callback();
    });
  },
});
const http = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    sms++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, id: `sms-${sms}` }));
  });
});
const smtpPort = await new Promise((resolve) => smtp.listen(0, '127.0.0.1', () => resolve(smtp.server.address().port)));
const smsPort = await new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(http.address().port)));
const timer = setInterval(tell, 100);
port.on('message', async (m) => {
  if (m.kind !== 'close') return;
  clearInterval(timer);
  await new Promise((r) => smtp.close(() => r()));
  http.closeAllConnections();
  await new Promise((r) => http.close(() => r()));
  tell();
  port.postMessage({ kind: 'closed' });
});
port.postMessage({ kind: 'ready', smtpPort, smsPort });
