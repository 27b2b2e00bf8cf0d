// Scope is a region subtree. Every region row carries its county and township
// codes, so "is this region inside that subtree" needs no tree walk.

export interface RegionRef {
  code: string;
  countyCode: string;
  townshipCode: string | null;
}

/** True when the region lies in the subtree rooted at scopeCode; a null scope is the whole installation. */
export function covers(scopeCode: string | null, region: RegionRef): boolean {
  return scopeCode === null || region.code === scopeCode || region.countyCode === scopeCode || region.townshipCode === scopeCode;
}
