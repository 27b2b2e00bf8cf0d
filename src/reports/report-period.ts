import { badRequest } from '../infra/http/error-body';
import { BadPeriod, parsePeriod, type Period } from '../ledger/domain/periods';

/** The query's period, or a 400 naming query.period. */
export function queryPeriod(text: string): Period {
  try {
    return parsePeriod(text);
  } catch (error) {
    if (error instanceof BadPeriod) throw badRequest(error.message, [{ path: 'query.period', message: error.message }]);
    throw error;
  }
}
