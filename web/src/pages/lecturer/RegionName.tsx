import { useRegion } from '../../components/regions/regions';

/** A region by its name (its code until the name has come). */
export function RegionName({ code }: { code: string }) {
  return <>{useRegion(code).data?.name ?? code}</>;
}

/** A region's name as a string, for text that is not a component's (a label, a title). */
export function useRegionName(code: string | undefined): string {
  return useRegion(code).data?.name ?? code ?? '';
}
