import { z } from 'zod';
import { isLocalDate } from './county-time';

/** A request field holding a calendar date in county time. */
export const CountyDate = z.string().refine(isLocalDate, 'must be a date, YYYY-MM-DD');
