import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { $api } from '../../api/client';
import { useRegion } from '../../components/regions/regions';
import { addDays } from '../../time/county-time';

const RUNDOWN = '/api/v1/regions/{code}/rundown';

const rundownOptions = (code: string, date: string, slot: string) =>
  $api.queryOptions('get', RUNDOWN, { params: { path: { code }, query: { date, slot } } });

/** One region's rundown on one date: what its loudspeakers will air. */
export function useRundown(code: string | undefined, date: string, slot: string) {
  return $api.useQuery(
    'get',
    RUNDOWN,
    { params: { path: { code: code ?? '' }, query: { date, slot } } },
    {
      enabled: !!code,
    },
  );
}

/** Seven dates from `from`: seven requests for one region, never one per village. */
export function useWeekRundowns(code: string | undefined, from: string, slot: string, enabled: boolean) {
  const dates = useMemo(() => Array.from({ length: 7 }, (_, day) => addDays(from, day)), [from]);
  const results = useQueries({
    queries: dates.map((date) => ({ ...rundownOptions(code ?? '', date, slot), enabled: enabled && !!code })),
  });
  return { dates, results };
}

/** After a change, every rundown and broadcast the page holds may be stale. */
export function useRefreshSchedule() {
  const queries = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['get', RUNDOWN] }),
        queries.invalidateQueries({ queryKey: ['get', '/api/v1/broadcasts/{id}'] }),
        queries.invalidateQueries({ queryKey: ['get', '/api/v1/broadcasts'] }),
      ]),
    [queries],
  );
}

/**
 * The viewed region's path from its county down to itself, and names for
 * every code on it: each rundown item targets one of these.
 */
export function useRegionChain(code: string | undefined) {
  const region = useRegion(code);
  return useMemo(() => {
    const data = region.data;
    if (!data) return { chain: [], countyCode: undefined, name: () => undefined, region: undefined };
    const path = [...data.ancestors, data];
    const names = new Map(path.map((step) => [step.code, step.name]));
    return {
      chain: path.map((step) => step.code),
      countyCode: path[0].code,
      name: (regionCode: string) => names.get(regionCode),
      region: data,
    };
  }, [region.data]);
}

/** The county's slots; the evening one (17:30) first as the county knows it. */
export function useSlots(countyCode: string | undefined) {
  return $api.useQuery(
    'get',
    '/api/v1/regions/{code}/slots',
    { params: { path: { code: countyCode ?? '' } } },
    { enabled: !!countyCode, staleTime: 60_000 },
  );
}
