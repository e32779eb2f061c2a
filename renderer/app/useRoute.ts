import { useMemo } from 'react';

import { usePath } from '../platform/NavigationProvider';
import { parseRoute, type Route } from '../platform/routes';

export function useRoute(): Route {
  const path = usePath();
  return useMemo(() => parseRoute(path), [path]);
}
