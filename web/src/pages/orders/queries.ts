import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { $api } from '../../api/client';
import { BOARD_STATES, type BoardState } from './board';

/** Orders move when a team accepts on its phone or a deadline passes: the board looks again every 30 s. */
const BOARD_POLL_MS = 30_000;

const ordersIn = (status: BoardState) =>
  $api.queryOptions(
    'get',
    '/api/v1/orders',
    { params: { query: { status, limit: 100 } } },
    { refetchInterval: BOARD_POLL_MS },
  );

export function useOrders(status: BoardState) {
  return useQuery(ordersIn(status));
}

/** How many orders each state holds (the same requests as the columns: one cache). */
export function useStateCounts(): Record<BoardState, number | undefined> {
  const results = useQueries({ queries: BOARD_STATES.map(ordersIn) });
  return Object.fromEntries(BOARD_STATES.map((state, index) => [state, results[index].data?.items.length])) as Record<
    BoardState,
    number | undefined
  >;
}

export function useSuggestions(orderId: string) {
  return $api.useQuery('get', '/api/v1/orders/{id}/team-suggestions', { params: { path: { id: orderId } } });
}

/** After a dispatch, every column shows it at once. */
export function useRefreshOrders(): () => Promise<void> {
  const queries = useQueryClient();
  return useCallback(
    () => queries.invalidateQueries({ predicate: ({ queryKey }) => String(queryKey[1]).startsWith('/api/v1/orders') }),
    [queries],
  );
}

/** The time now, again every `everyMs`: countdowns tick without a reload. */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
