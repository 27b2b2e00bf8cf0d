import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { api, setCsrfToken, whenSignedOut } from '../api/client';
import { ApiFailure } from '../api/errors';
import type { components } from '../api/schema.gen';

export type SignedInUser = components['schemas']['Me'];
export type Permission = SignedInUser['permissions'][number];

interface SessionState {
  /** null: nobody is signed in in this browser. */
  user: SignedInUser | null;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** What the UI offers follows the permissions the server reports; the server still decides every request. */
  can: (permission: Permission) => boolean;
}

const SessionContext = createContext<SessionState | null>(null);
const SESSION_KEY = ['session'] as const;

async function currentSession(): Promise<SignedInUser | null> {
  try {
    const { data } = await api.GET('/api/v1/auth/session');
    setCsrfToken(data?.csrfToken ?? null);
    return data?.user ?? null;
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const queries = useQueryClient();
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: currentSession, staleTime: Infinity, retry: 1 });

  const forget = useCallback(() => {
    setCsrfToken(null);
    // The session query keeps its observer (clearing it would strand the page signed in); everything else
    // read under the old session goes, so the next user of this browser sees none of it.
    queries.setQueryData(SESSION_KEY, null);
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
  }, [queries]);

  useEffect(() => whenSignedOut(forget), [forget]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const { data } = await api.POST('/api/v1/auth/session', { body: { username, password } });
      setCsrfToken(data?.csrfToken ?? null);
      queries.setQueryData(SESSION_KEY, data?.user ?? null);
    },
    [queries],
  );

  const signOut = useCallback(async () => {
    try {
      await api.DELETE('/api/v1/auth/session');
    } finally {
      forget();
    }
  }, [forget]);

  const user = session.data ?? null;
  const value = useMemo<SessionState>(
    () => ({ user, signIn, signOut, can: (permission) => !!user?.permissions.includes(permission) }),
    [user, signIn, signOut],
  );
  if (session.isPending) return <>{fallback}</>;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
