/** The signed-in user and the organisation data every screen reads (policy, staff, lifecycle). */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ok, onUnauthenticated, type Lifecycle, type Policy, type StaffEntry, type User } from '../api/client';
import { pick, setLanguage } from '../i18n';

export interface Session {
  me: User | null;
  loading: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  has(role: string): boolean;
}

export interface Lookups {
  policy: Policy | null;
  staff: StaffEntry[];
  lifecycle: Lifecycle | null;
  reload(): Promise<void>;
  userName(id: string | null | undefined): string;
  deptName(code: string | null | undefined): string;
  gradeName(code: string | null | undefined): string;
  categoryName(code: string | null | undefined): string;
  reasonName(code: string | null | undefined): string;
  tierName(level: number): string;
  levelName(code: string | null | undefined): string;
  actionLabel(name: string): string;
}

const SessionContext = createContext<Session | null>(null);
const LookupsContext = createContext<Lookups | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    ok(api.GET('/api/v1/me'))
      .then(setMe)
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
    return onUnauthenticated(() => setMe(null));
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    const r = await ok(api.POST('/api/v1/auth/login', { body: { username, password } }));
    adoptUserLocale(r.user);
    setMe(r.user);
  }, []);
  const signOut = useCallback(async () => {
    await ok(api.POST('/api/v1/auth/logout')).catch(() => undefined);
    setMe(null);
  }, []);
  const value = useMemo<Session>(() => ({ me, loading, signIn, signOut, has: (r) => !!me?.roles.some((x) => x === r) }), [me, loading, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function LookupsProvider({ children }: { children: ReactNode }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [staff, setStaff] = useState<StaffEntry[]>([]);
  const [lifecycle, setLifecycle] = useState<Lifecycle | null>(null);
  const reload = useCallback(async () => {
    const [p, s, l] = await Promise.all([
      ok(api.GET('/api/v1/policy')),
      ok(api.GET('/api/v1/directory')),
      ok(api.GET('/api/v1/lifecycle')),
    ]);
    setPolicy(p.active);
    setStaff(s);
    setLifecycle(l);
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const value = useMemo<Lookups>(() => {
    const byId = new Map(staff.map((u) => [u.id, u]));
    const named = <T extends { code: string; name: Record<string, string> | { 'zh-CN': string } }>(list: T[] | undefined, code: string | null | undefined) => {
      if (!code) return '—';
      const x = list?.find((i) => i.code === code);
      return x ? pick(x.name) : code;
    };
    return {
      policy,
      staff,
      lifecycle,
      reload,
      userName: (id) => (id ? (byId.get(id)?.name ?? id.slice(0, 8)) : '—'),
      deptName: (code) => named(policy?.departments, code),
      gradeName: (code) => named(policy?.grades, code),
      categoryName: (code) => named(policy?.categories, code),
      reasonName: (code) => named(policy?.validity.invalidReasons, code),
      levelName: (code) => named(policy?.approval.levels, code),
      tierName: (level) => {
        const t = policy?.escalation.tiers.find((x) => x.level === level);
        return t ? pick(t.name) : String(level);
      },
      actionLabel: (name) => {
        const a = lifecycle?.actions.find((x) => x.name === name);
        return a ? pick(a.label) : name;
      },
    };
  }, [policy, staff, lifecycle, reload]);
  return <LookupsContext.Provider value={value}>{children}</LookupsContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('SessionProvider missing');
  return s;
}

export function useLookups(): Lookups {
  const l = useContext(LookupsContext);
  if (!l) throw new Error('LookupsProvider missing');
  return l;
}

/** Applies the user's own language on the first sign-in in this browser (a choice made here wins). */
function adoptUserLocale(u: User): void {
  if (!localStorage.getItem('kesu.lang') && u.locale) setLanguage(u.locale);
}
