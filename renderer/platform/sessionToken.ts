import { TOKEN_QUERY_PARAM } from '../../shared/ipc/faces';

export const TOKEN_STORAGE_KEY = 'ohtw.token';

type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * The browser host opens the page as `/?token=…`. The token is kept in this tab's session storage so that a reload
 * still works, and removed from the address bar so it is not bookmarked, shared or left in the history.
 * A token in the URL wins over a stored one: it belongs to a newer launch of the host.
 */
export function takeSessionToken(
  href: string,
  storage: TokenStorage,
  replaceUrl: (relativeUrl: string) => void,
): string | null {
  const url = new URL(href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY_PARAM);
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete(TOKEN_QUERY_PARAM);
    replaceUrl(`${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  const stored = storage.getItem(TOKEN_STORAGE_KEY);
  return stored || null;
}
