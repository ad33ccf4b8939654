/**
 * Live updates: one EventSource on /api/v1/stream per signed-in tab. Screens subscribe with
 * `useCaseChanges(fn)`; each event carries only the case's id, number, state and action, and
 * the screen refetches through the normal API.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Schemas } from '../api/client';

/** The data of a `case_changed` event, as the OpenAPI document describes GET /api/v1/stream. */
export type CaseChange = Schemas['CaseChanged'];

type Listener = (c: CaseChange) => void;
/** An `urged` event: a manager urged (催办) a case this user handles. */
export interface Urge {
  id: string;
  number: string;
  at: string;
}
type UrgeListener = (u: Urge) => void;
interface Live {
  connected: boolean;
  subscribe(l: Listener): () => void;
  onUrged(l: UrgeListener): () => void;
}

const LiveContext = createContext<Live>({ connected: false, subscribe: () => () => undefined, onUrged: () => () => undefined });

export function LiveProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const urgeListeners = useRef(new Set<UrgeListener>());
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const es = new EventSource('/api/v1/stream');
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(false);
    es.addEventListener('case_changed', (e) => {
      const c = JSON.parse((e as MessageEvent<string>).data) as CaseChange;
      listeners.current.forEach((l) => l(c));
    });
    es.addEventListener('urged', (e) => {
      const u = JSON.parse((e as MessageEvent<string>).data) as Urge;
      urgeListeners.current.forEach((l) => l(u));
    });
    return () => es.close();
  }, []);
  const value = useRef<Live>({
    connected: false,
    subscribe: (l) => {
      listeners.current.add(l);
      return () => listeners.current.delete(l);
    },
    onUrged: (l) => {
      urgeListeners.current.add(l);
      return () => urgeListeners.current.delete(l);
    },
  });
  return <LiveContext.Provider value={{ ...value.current, connected }}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

/** Calls `fn` (debounced by `waitMs`) whenever a case the user may see changes. */
export function useCaseChanges(fn: (c: CaseChange) => void, waitMs = 300): void {
  const { subscribe } = useLive();
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((c) => {
      clearTimeout(timer);
      timer = setTimeout(() => fnRef.current(c), waitMs);
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, [subscribe, waitMs]);
}

/** A timestamp that advances every `ms` (countdowns). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
