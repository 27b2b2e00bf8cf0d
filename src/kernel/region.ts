// A region is a node of the county's division tree: county, township, village.
// Every region row carries its county and township codes, so "is this region
// inside that subtree" needs no tree walk.

export const REGION_LEVELS = ['county', 'township', 'village'] as const;
export type Level = (typeof REGION_LEVELS)[number];

/** A 12-digit statistical division code (county = 6 digits + 000000, township = 9 digits + 000). */
export const REGION_CODE_PATTERN = /^\d{12}$/;

/** Where a region sits: its own code and its county and township (null above township level). */
export interface RegionPath {
  code: string;
  countyCode: string;
  townshipCode: string | null;
}

/** True when the region lies in the subtree rooted at scopeCode; a null scope is the whole installation. */
export function covers(scopeCode: string | null, region: RegionPath): boolean {
  return (
    scopeCode === null ||
    region.code === scopeCode ||
    region.countyCode === scopeCode ||
    region.townshipCode === scopeCode
  );
}
