import type { Unsubscribe, WorkstationBridge } from '../../shared/ipc/api';
import type { CallName } from '../../shared/ipc/contract';
import {
  CLIENT_HEADER,
  CLIENT_QUERY_PARAM,
  HTTP_CALL_PATH,
  HTTP_EVENTS_PATH,
  TOKEN_QUERY_PARAM,
} from '../../shared/ipc/faces';
import { reconnectDelayMs } from './backoff';
import { HostUnreachableError } from './HostUnreachableError';
import { createLiveStatus, type LiveStatusSource } from './liveStatus';

type EventMessage = { name: string; payload: unknown };
type EventHandler = (event: EventMessage) => void;

/** Everything the bridge needs from the page, passed in so that only main.tsx touches window. */
export type BrowserBridgeOptions = {
  token: string;
  /** This page's random name for itself: the streams it opens are its own and end when its socket closes. */
  clientId: string;
  /** `location.host` of the page: the browser host serves the API on the page's own origin. */
  host: string;
  isSecure: boolean;
  fetch: typeof fetch;
  createSocket: (url: string) => WebSocket;
  setTimeout: (callback: () => void, delayMs: number) => number;
  clearTimeout: (id: number) => void;
};

export type BrowserBridge = WorkstationBridge & { readonly live: LiveStatusSource; close(): void };

/** The WorkstationBridge of the browser face: calls over HTTP POST, events over one WebSocket that reconnects. */
export function createBrowserBridge(options: BrowserBridgeOptions): BrowserBridge {
  const handlers = new Set<EventHandler>();
  const live = createLiveStatus();
  const events = createEventSocket(options, live.set, (message) => {
    for (const handler of handlers) {
      handler(message);
    }
  });

  return {
    live,
    async invoke(name: CallName, input: unknown): Promise<unknown> {
      let response: Response;
      try {
        response = await options.fetch(`${HTTP_CALL_PATH}${name}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${options.token}`,
            [CLIENT_HEADER]: options.clientId,
          },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        throw new HostUnreachableError(`No answer to ${name}`, { cause: error });
      }
      // Error replies (401, 400…) still carry an envelope; only a body that is not JSON means the host is not ours.
      try {
        return (await response.json()) as unknown;
      } catch (error) {
        throw new HostUnreachableError(`Reply to ${name} was not JSON (HTTP ${response.status})`, { cause: error });
      }
    },
    subscribe(handler: EventHandler): Unsubscribe {
      handlers.add(handler);
      return () => {
        handlers.delete(handler);
      };
    },
    close() {
      handlers.clear();
      events.close();
    },
  };
}

function createEventSocket(
  options: BrowserBridgeOptions,
  setState: (state: 'live' | 'reconnecting') => void,
  deliver: EventHandler,
): { close(): void } {
  const scheme = options.isSecure ? 'wss' : 'ws';
  const url =
    `${scheme}://${options.host}${HTTP_EVENTS_PATH}?${TOKEN_QUERY_PARAM}=${encodeURIComponent(options.token)}` +
    `&${CLIENT_QUERY_PARAM}=${encodeURIComponent(options.clientId)}`;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let timer: number | null = null;
  let isClosed = false;

  const open = (): void => {
    timer = null;
    socket = options.createSocket(url);
    socket.addEventListener('open', () => {
      attempt = 0;
      setState('live');
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      const message = parseEventMessage(event.data);
      if (message) {
        deliver(message);
      }
    });
    socket.addEventListener('close', () => {
      socket = null;
      if (!isClosed) {
        setState('reconnecting');
        timer = options.setTimeout(open, reconnectDelayMs(attempt));
        attempt += 1;
      }
    });
  };

  open();
  return {
    close() {
      isClosed = true;
      if (timer !== null) {
        options.clearTimeout(timer);
      }
      socket?.close();
    },
  };
}

function parseEventMessage(data: unknown): EventMessage | null {
  if (typeof data !== 'string') {
    return null;
  }
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && 'name' in value && typeof value.name === 'string') {
      return { name: value.name, payload: 'payload' in value ? value.payload : undefined };
    }
  } catch {
    // A frame that is not JSON cannot be one of ours; dropping it is all we can do.
  }
  return null;
}
