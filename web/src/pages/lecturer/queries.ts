import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { $api } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { useSession } from '../../session/session';
import { addDays, countyDate } from '../../time/county-time';

export type Session = components['schemas']['LectureSession'];
export type Team = components['schemas']['LectureTeam'];

/** How far back "my sessions" reaches: two months of a lecturer's work. */
const SESSION_DAYS = 60;

/** The orders dispatched to the lecturer's teams (the server keeps them within their scope). */
export function useMyOrders() {
  return $api.useQuery('get', '/api/v1/orders', { params: { query: { mine: 'true', limit: 200 } } });
}

/** The sessions the lecturer gives, from two months back on. */
export function useMySessions() {
  return $api.useQuery('get', '/api/v1/lecture-sessions', {
    params: { query: { mine: 'true', from: addDays(countyDate(), -SESSION_DAYS), limit: 500 } },
  });
}

/** The teams of the lecturer's region they are a member of. */
export function useMyTeams() {
  const { user } = useSession();
  const teams = $api.useQuery('get', '/api/v1/teams');
  const mine = (teams.data?.items ?? []).filter((team) => team.members.some((member) => member.userId === user?.id));
  return { ...teams, mine };
}

/** After an order or a session changed: both lists and the one session are read again. */
export function useRefreshWork() {
  const queries = useQueryClient();
  return useCallback(
    () =>
      Promise.all(
        [
          '/api/v1/orders',
          '/api/v1/orders/{id}',
          '/api/v1/lecture-sessions',
          '/api/v1/lecture-sessions/{id}',
          '/api/v1/points/me',
        ].map((path) => queries.invalidateQueries({ queryKey: ['get', path] })),
      ),
    [queries],
  );
}
