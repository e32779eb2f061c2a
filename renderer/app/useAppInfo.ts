import { useEffect, useState } from 'react';

import type { CallOutput } from '../../shared/ipc/contract';
import { useApi } from '../platform/ApiProvider';

export type AppInfo = CallOutput<'app.info'>;

/** `app.info` once per mount; null until it answers (or if it fails: the header simply shows less). */
export function useAppInfo(): AppInfo | null {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let isCurrent = true;
    api.call('app.info', {}).then(
      (value) => {
        if (isCurrent) {
          setInfo(value);
        }
      },
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api]);
  return info;
}
