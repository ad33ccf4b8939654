/**
 * The console's live stream (`GET /api/v1/stream`, server-sent events) read by a test: opens it
 * as the token's user and collects the data of every event named `event`, until `close()`.
 */
import assert from 'node:assert/strict';

export interface OpenStream<T> {
  /** The events received so far, in order (the array fills while the stream is open). */
  events: T[];
  close(): Promise<void>;
}

export async function openStream<T = any>(base: string, token: string, event: string): Promise<OpenStream<T>> {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: T[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name === event && data) events.push(JSON.parse(data));
        }
      }
    } catch {
      /* aborted by close() */
    }
  })();
  return {
    events,
    close: async () => {
      ac.abort();
      await done;
    },
  };
}
