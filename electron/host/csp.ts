/**
 * The one Content-Security-Policy both the browser host and the Electron window send. The renderer is a
 * built bundle (scripts and styles as files), so no inline script and no eval is allowed. Styles are the one
 * exception: the terminal (xterm.js) writes its cell metrics and colours as <style> elements it builds at run time,
 * and draws a selection or a search match with style attributes. Styles cannot run code; scripts stay 'self' only.
 */
export type CspOptions = {
  /** Extra connect-src sources beyond 'self', e.g. the host's WebSocket origin `ws://127.0.0.1:PORT`. */
  connectSources?: readonly string[];
};

export function buildContentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSources ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
