import type { Core } from '../core/createCore';
import type { BrowserHostOptions } from './BrowserHost';

/** What the browser host needs of the core: calls made as the browser face (and as the page that made them), events, and the end of a page. */
export function browserFaceOf(
  core: Pick<Core, 'dispatch' | 'events' | 'releaseClient'>,
): Pick<BrowserHostOptions, 'dispatch' | 'subscribe' | 'releaseClient'> {
  return {
    dispatch: (name, input, caller) =>
      core.dispatch(name, input, {
        face: 'browser',
        ...(caller.client === undefined ? {} : { client: caller.client }),
      }),
    subscribe: (listener) => core.events.subscribe(listener),
    releaseClient: (client) => core.releaseClient(client),
  };
}
