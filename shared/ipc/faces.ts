/**
 * How the two non-CLI faces carry the contract. The browser host speaks HTTP and WebSocket on 127.0.0.1;
 * the Electron preload exposes a bridge object on window. Both carry the same envelopes.
 */

/** POST `${HTTP_CALL_PATH}<call name>` with the JSON input as body and `Authorization: Bearer <token>`; answers an Envelope. */
export const HTTP_CALL_PATH = '/api/call/';

/** WebSocket `${HTTP_EVENTS_PATH}?token=<token>`; each message is JSON `{ name, payload }`. */
export const HTTP_EVENTS_PATH = '/api/events';

/**
 * A browser page's random name for itself, sent as this header with every call and as this query parameter on the
 * event socket: the streams it opens are addressed to it alone and end when its socket closes.
 */
export const CLIENT_HEADER = 'x-ohtw-client';
export const CLIENT_QUERY_PARAM = 'client';

/** The page is opened as `http://127.0.0.1:<port>/?token=<token>`; the renderer keeps it for the session. */
export const TOKEN_QUERY_PARAM = 'token';

/** Property on `window` where the Electron preload puts its WorkstationBridge. */
export const ELECTRON_BRIDGE_GLOBAL = 'ohtw';
