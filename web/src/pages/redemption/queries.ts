import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { $api } from '../../api/client';

export function useCatalogue() {
  return $api.useQuery('get', '/api/v1/redemption-items');
}

/** After a redemption or an adjustment, the catalogue and the counter's list show the stock as it is now. */
export function useRefreshCatalogue(): () => Promise<void> {
  const queries = useQueryClient();
  return useCallback(
    () => queries.invalidateQueries({ predicate: ({ queryKey }) => queryKey[1] === '/api/v1/redemption-items' }),
    [queries],
  );
}
