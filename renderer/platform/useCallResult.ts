import { useCallback, useEffect, useMemo, useState } from 'react';

export type CallResult<T> = { value: T | null; error: unknown; isLoading: boolean; reload: () => void };

type Answer<T> = { request: object; value: T | null; error: unknown };

/**
 * Runs `load` when its inputs change and keeps the latest answer; an answer to an older request never replaces a
 * newer one. `load` must be memoised by the caller (useCallback) on exactly what it reads. While a new request is
 * out, the previous value stays on screen and isLoading is true.
 */
export function useCallResult<T>(load: () => Promise<T>): CallResult<T> {
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  // A fresh object per request: the answer says which request it belongs to.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- generation is what makes reload() ask again
  const request = useMemo(() => ({ load }), [load, generation]);
  const [answer, setAnswer] = useState<Answer<T> | null>(null);

  useEffect(() => {
    let isCurrent = true;
    request.load().then(
      (value) => isCurrent && setAnswer({ request, value, error: null }),
      (error: unknown) => isCurrent && setAnswer({ request, value: null, error }),
    );
    return () => {
      isCurrent = false;
    };
  }, [request]);

  return {
    value: answer?.value ?? null,
    error: answer?.request === request ? answer.error : null,
    isLoading: answer?.request !== request,
    reload,
  };
}
