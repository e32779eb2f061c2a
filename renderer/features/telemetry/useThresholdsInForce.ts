import { useEffect, useState } from 'react';

import type { Thresholds } from '../../../shared/domain/thresholds';
import { useApi } from '../../platform/ApiProvider';

/**
 * The alert thresholds the diagnosis judges by now (Settings may have changed the runbook's defaults), for the
 * charts' limit lines; null until read, or when they could not be (the charts then simply draw no lines).
 */
export function useThresholdsInForce(): Thresholds | null {
  const api = useApi();
  const [thresholds, setThresholds] = useState<Thresholds | null>(null);
  useEffect(() => {
    let isCurrent = true;
    api.call('settings.get', {}).then(
      (settings) => {
        if (isCurrent) {
          setThresholds(settings.thresholds);
        }
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);
  return thresholds;
}
