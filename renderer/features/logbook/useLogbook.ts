import { useEffect, useMemo, useState } from 'react';

import type { LogbookEntry, LogbookFilter } from '../../../shared/domain/logbook';
import { useApi } from '../../platform/ApiProvider';

export const PAGE_SIZE = 50;

export type LogbookState = {
  entries: LogbookEntry[];
  /** The cursor of the next (older) page; null at the end. */
  next: string | null;
  isLoading: boolean;
  error: unknown;
  loadMore: () => void;
  reload: () => void;
};

type Shown = { request: object; entries: LogbookEntry[]; next: string | null; error: unknown };

/**
 * The entries a filter selects, a page at a time by cursor: "show older" appends the next page after the last
 * entry shown, so entries written meanwhile never shift or repeat what is on screen. A new filter (or refreshKey)
 * starts again from the newest; an answer to an older filter never lands.
 */
export function useLogbook(filter: LogbookFilter, refreshKey: unknown = null): LogbookState {
  const api = useApi();
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(filter);
  // A fresh object per first page asked for: an answer says which request it belongs to.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- refreshKey and generation are what make it ask again
  const request = useMemo(() => ({ filter: JSON.parse(key) as LogbookFilter }), [key, refreshKey, generation]);
  const [shown, setShown] = useState<Shown | null>(null);
  const [isLoadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    let current = true;
    api.call('logbook.list', { filter: request.filter, limit: PAGE_SIZE }).then(
      (page) => current && setShown({ request, entries: page.entries, next: page.next, error: null }),
      (error: unknown) => current && setShown({ request, entries: [], next: null, error }),
    );
    return () => {
      current = false;
    };
  }, [api, request]);

  const isCurrent = shown?.request === request;
  const loadMore = () => {
    const cursor = isCurrent ? shown.next : null;
    if (cursor === null || isLoadingMore) {
      return;
    }
    setLoadingMore(true);
    api.call('logbook.list', { filter: request.filter, limit: PAGE_SIZE, cursor }).then(
      (page) => {
        setLoadingMore(false);
        setShown((before) =>
          before && before.request === request
            ? { ...before, entries: [...before.entries, ...page.entries], next: page.next }
            : before,
        );
      },
      (error: unknown) => {
        setLoadingMore(false);
        setShown((before) => (before && before.request === request ? { ...before, error } : before));
      },
    );
  };

  return {
    entries: isCurrent ? shown.entries : (shown?.entries ?? []),
    next: isCurrent ? shown.next : null,
    isLoading: !isCurrent || isLoadingMore,
    error: isCurrent ? shown.error : null,
    loadMore,
    reload: () => setGeneration((n) => n + 1),
  };
}
