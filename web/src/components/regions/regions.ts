import { useQueries, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { components } from '../../api/schema.gen';

export type RegionRef = components['schemas']['RegionList']['items'][number];
export type RegionLevel = RegionRef['level'];
export type Region = components['schemas']['Region'];

/** Regions change when a county is imported, rarely: a minute's cache spares the tree a request per click. */
const REGION_STALE_MS = 60_000;

export const regionQuery = (code: string) => ({
  queryKey: ['get', '/api/v1/regions/{code}', { params: { path: { code } } }] as const,
  queryFn: async () => (await api.GET('/api/v1/regions/{code}', { params: { path: { code } } })).data!,
  staleTime: REGION_STALE_MS,
});

/** The regions at the top of the user's scope: their county (or township), every county for an unscoped admin. */
export function useRootRegions() {
  return useQuery({
    queryKey: ['get', '/api/v1/regions'] as const,
    queryFn: async () => (await api.GET('/api/v1/regions')).data!.items,
    staleTime: REGION_STALE_MS,
  });
}

/** One region with its ancestors and children. */
export function useRegion(code: string | undefined) {
  return useQuery({ ...regionQuery(code ?? ''), enabled: !!code });
}

/** Several regions at once (e.g. every township of a county, for their villages). */
export function useRegions(codes: string[]) {
  return useQueries({ queries: codes.map((code) => regionQuery(code)) });
}

const NAMES_SHOWN = 6;

/** "白岩社区、盘石镇 等 3 个区域": the first few target names (the tree's cache has most), then how many more. */
export function useRegionNames(codes: string[], more: (n: number) => string): string {
  const shown = codes.slice(0, NAMES_SHOWN);
  const regions = useRegions(shown);
  const names = shown.map((code, index) => regions[index]?.data?.name ?? code).join('、');
  return codes.length > NAMES_SHOWN ? `${names} ${more(codes.length - NAMES_SHOWN)}` : names;
}
