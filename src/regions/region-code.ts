import { z } from 'zod';

/** A 12-digit statistical division code (county = 6 digits + 000000, township = 9 digits + 000). */
export const RegionCode = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit administrative division code')
  .describe('12-digit administrative division code');
