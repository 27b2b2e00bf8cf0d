import { z } from 'zod';
import { REGION_CODE_PATTERN } from './region';

export const RegionCode = z
  .string()
  .regex(REGION_CODE_PATTERN, 'must be a 12-digit administrative division code')
  .describe('12-digit administrative division code');
