// Resource codes of China's emergency-broadcast system (应急广播资源编码, GD/J
// 08x-2018): 23 digits, L + 12-digit area + type(4) + type sequence(2) +
// subtype(2) + subtype sequence(2). The county platform's is derived from its
// division code here; each loudspeaker's is given by the database when the
// endpoint is created (see the ebd_exchange migration) and never changes.

export const EBRID_PATTERN = /^[1-6]\d{12}\d{4}\d{2}\d{2}\d{2}$/;

/** 资源级别: the first digit. Dalaba's regions are counties, townships and villages. */
export const EBRID_LEVEL = { county: 4, township: 5, village: 6 } as const;

/** 资源类型码 of a county platform: 0101 通用平台 or 0103 调度控制系统 (the field uses both). */
export const PLATFORM_TYPES = ['0101', '0103'] as const;
export type PlatformType = (typeof PLATFORM_TYPES)[number];

/** The county platform: level 4, its 12-digit code, the type, then 01 本级 01. */
export function platformEbrid(countyCode: string, type: PlatformType): string {
  return `${EBRID_LEVEL.county}${countyCode}${type}010101`;
}
