/**
 * The console's only way to the server: same-origin fetch with the session cookie, the UI
 * language in Accept-Language (so field errors come back in it), JSON in and out (files go out
 * as multipart form data).
 */
import i18n from '../i18n';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public fields: FieldError[] = [],
  ) {
    super(message);
  }
}

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();
/** Called when any request answers 401: the session ended. */
export function onUnauthenticated(l: Listener): () => void {
  unauthenticatedListeners.add(l);
  return () => unauthenticatedListeners.delete(l);
}

export async function api<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  // The browser sets a form's content type itself (with its boundary).
  const form = body instanceof FormData;
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      accept: 'application/json',
      'accept-language': i18n.language || 'zh-CN',
      ...(body !== undefined && !form ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && !url.endsWith('/auth/login')) unauthenticatedListeners.forEach((l) => l());
    throw new ApiError(res.status, data?.code ?? 'error', data?.message ?? res.statusText, data?.fields ?? []);
  }
  return data as T;
}

export const get = <T = unknown>(url: string) => api<T>('GET', url);
export const post = <T = unknown>(url: string, body: unknown = {}, headers?: Record<string, string>) => api<T>('POST', url, body, headers);
export const put = <T = unknown>(url: string, body: unknown) => api<T>('PUT', url, body);
/** A multipart POST (files). */
export const postForm = <T = unknown>(url: string, form: FormData) => api<T>('POST', url, form);

/** `?a=1&b=x,y` from an object; empty values are left out. */
export function query(params: Record<string, string | number | boolean | string[] | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
