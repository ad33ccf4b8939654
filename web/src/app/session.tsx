/** The signed-in user and the organisation data every screen reads (policy, staff, lifecycle). */
import { Suspense, createContext, lazy, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ok, onUnauthenticated, type I18nText, type Lifecycle, type Policy, type StaffEntry, type User } from '../api/client';
import i18n, { pick, setLanguage } from '../i18n';
import { orgToday } from '../shared/org-date';
import { LoadingLine } from './PageLoading';

// Shown only after an administrator reset the password: not part of every first load.
const MustChangePassword = lazy(() => import('../modules/auth/MustChangePassword').then((m) => ({ default: m.MustChangePassword })));

export interface Session {
  me: User | null;
  loading: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Ends every session of the user, this one included. */
  signOutEverywhere(): Promise<void>;
  /** An administrator reset the password: only the change-password form is shown until it is changed. */
  mustChangePassword: boolean;
  /** The password was changed (this session stays; the others ended). */
  passwordChanged(): void;
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
  /**
   * A clock by its kind, everywhere the console names one (case page, print form, queues,
   * dashboard, 报表): `name` when the server sent one (the case's own policy), else a clock rule
   * of the active policy (`rule:<code>`, clockRules[].name), else the catalogue's word for a
   * built-in clock (`clockKind.*`); a rule the policy no longer has shows as the stored kind.
   */
  clockName(kind: string, name?: I18nText | null): string;
}

interface LookupsData {
  policy: Policy;
  staff: StaffEntry[];
  lifecycle: Lifecycle;
}

const fetchLookups = async (): Promise<LookupsData> => {
  const [p, s, l] = await Promise.all([ok(api.GET('/api/v1/policy')), ok(api.GET('/api/v1/directory')), ok(api.GET('/api/v1/lifecycle'))]);
  return { policy: p.active, staff: s, lifecycle: l };
};

/**
 * The lookups asked for at start-up beside /me (one round trip less before the first screen),
 * when this browser was signed in last time; taken once by the first LookupsProvider. Without
 * the hint nothing is asked (a signed-out visit would only collect 401s).
 */
const SIGNED_IN_HINT = 'kesu.signedIn';
let early: Promise<LookupsData> | null = null;
const hint = (on: boolean) => {
  try {
    if (on) localStorage.setItem(SIGNED_IN_HINT, '1');
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // storage refused (private mode): no early lookups
  }
};
/** Whether this browser was signed in last time (main.tsx chooses which chunk to ask for first). */
export const hinted = () => {
  try {
    return localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return false;
  }
};

const SessionContext = createContext<Session | null>(null);
const LookupsContext = createContext<Lookups | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [mustChangePassword, setMustChange] = useState(false);
  useEffect(() => {
    // /me answers a user whose password was reset too, and says whether the change is still pending.
    if (hinted()) {
      early = fetchLookups();
      early.catch(() => undefined); // a failure is read (and retried) by the provider
    }
    const load = async () => {
      const { mustChangePassword: pending, ...u } = await ok(api.GET('/api/v1/me'));
      setMustChange(pending);
      setMe(u);
      hint(true);
    };
    load()
      .catch(() => setMe(null))
      .finally(() => setLoading(false));
    return onUnauthenticated(() => {
      setMe(null);
      setMustChange(false);
      hint(false);
    });
  }, []);
  const signIn = useCallback(async (username: string, password: string) => {
    const r = await ok(api.POST('/api/v1/auth/login', { body: { username, password } }));
    adoptUserLocale(r.user);
    setMustChange(r.mustChangePassword);
    setMe(r.user);
    hint(true);
  }, []);
  const signOut = useCallback(async () => {
    await ok(api.POST('/api/v1/auth/logout')).catch(() => undefined);
    hint(false);
    setMe(null);
    setMustChange(false);
  }, []);
  const signOutEverywhere = useCallback(async () => {
    await ok(api.POST('/api/v1/auth/logout-everywhere')).catch(() => undefined);
    hint(false);
    setMe(null);
    setMustChange(false);
  }, []);
  const passwordChanged = useCallback(() => setMustChange(false), []);
  const value = useMemo<Session>(
    () => ({ me, loading, signIn, signOut, signOutEverywhere, mustChangePassword, passwordChanged, has: (r) => !!me?.roles.some((x) => x === r) }),
    [me, loading, signIn, signOut, signOutEverywhere, mustChangePassword, passwordChanged],
  );
  // Until a reset password is changed, the console is only the change-password form.
  return (
    <SessionContext.Provider value={value}>
      {me && mustChangePassword ? (
        <Suspense fallback={<LoadingLine />}>
          <MustChangePassword />
        </Suspense>
      ) : (
        children
      )}
    </SessionContext.Provider>
  );
}

export function LookupsProvider({ children }: { children: ReactNode }) {
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [staff, setStaff] = useState<StaffEntry[]>([]);
  const [lifecycle, setLifecycle] = useState<Lifecycle | null>(null);
  const reload = useCallback(async () => {
    // The start-up's early answers once (same session as /me), then fresh ones.
    const pending = early;
    early = null;
    const d = (pending && (await pending.catch(() => null))) || (await fetchLookups());
    setPolicy(d.policy);
    setStaff(d.staff);
    setLifecycle(d.lifecycle);
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
      clockName: (kind, name) => {
        const rule = kind.startsWith('rule:') ? policy?.clockRules?.find((r) => `rule:${r.code}` === kind) : undefined;
        const text = name ?? rule?.name;
        return text ? pick(text) : i18n.t(`clockKind.${kind.replace(/\.\d+$/, '')}`, { defaultValue: kind });
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

/** The organisation's today (YYYY-MM-DD in the policy calendar's zone), or null until the policy has loaded. */
export function useOrgToday(): string | null {
  const { policy } = useLookups();
  return policy ? orgToday(policy.calendar.timeZone) : null;
}

/** Applies the user's own language on the first sign-in in this browser (a choice made here wins). */
function adoptUserLocale(u: User): void {
  if (!localStorage.getItem('kesu.lang') && u.locale) setLanguage(u.locale);
}
