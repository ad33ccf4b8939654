/**
 * What every delivery provider shares: a result, and an error that says whether retrying can help.
 * Each delivery carries an idempotency key (the outbox row id); providers that accept one pass it
 * on, so a redelivery after a crash between "sent" and "marked" is recognised by the receiver.
 */
export interface SendResult {
  /** The provider's id for the message, when it gives one (logged on the row). */
  providerId?: string;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    /** true: retrying cannot help (rejected address, bad request) — dead-letter at once. */
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

export interface HttpResponse {
  status: number;
  text: string;
}

/** One HTTP request with a timeout; 408, 425, 429, 5xx and network failures are retryable. */
export async function httpRequest(url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number }): Promise<HttpResponse> {
  let res: Response;
  try {
    res = await fetch(url, { method: init.method, headers: init.headers, body: init.method === 'POST' ? init.body : undefined, signal: AbortSignal.timeout(init.timeoutMs), redirect: 'error' });
  } catch (e) {
    throw new DeliveryError(`request failed: ${(e as Error).message}`, false);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 200 && res.status < 300) return { status: res.status, text };
  const retryable = res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
  throw new DeliveryError(`HTTP ${res.status}: ${text.slice(0, 300)}`, !retryable);
}
