// First: it configures zod before any module builds a schema.
import './platform/zodJitless';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import type { WorkstationBridge } from '../shared/ipc/api';
import { createWorkstationClient } from '../shared/ipc/client';
import { App } from './app/App';
import { NoTokenPage } from './app/NoTokenPage';
import { ROUTE_TABLE } from './app/pages';
import { I18nProvider } from './i18n/I18nProvider';
import { ApiProvider } from './platform/ApiProvider';
import { createBrowserBridge } from './platform/browserBridge';
import { findElectronBridge } from './platform/electronBridge';
import { ALWAYS_LIVE, type LiveStatusSource } from './platform/liveStatus';
import { LiveStatusProvider } from './platform/LiveStatusProvider';
import { createHashNavigation } from './platform/navigation';
import { NavigationProvider } from './platform/NavigationProvider';
import { installRouteTable } from './platform/routes';
import { takeSessionToken } from './platform/sessionToken';
import { applyTheme, readTheme } from './platform/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/charts.css';

/**
 * The only place that reads window and location to find the API: inside Electron the preload's bridge, in a
 * browser the host's HTTP + WebSocket protocol with the launch token. Everything below receives it by context.
 */
function pickBridge(): { bridge: WorkstationBridge; live: LiveStatusSource } | null {
  const electron = findElectronBridge(window);
  if (electron) {
    return { bridge: electron, live: ALWAYS_LIVE };
  }
  const token = takeSessionToken(window.location.href, window.sessionStorage, (url) =>
    window.history.replaceState(window.history.state, '', url),
  );
  if (!token) {
    return null;
  }
  const bridge = createBrowserBridge({
    token,
    clientId: window.crypto.randomUUID(),
    host: window.location.host,
    isSecure: window.location.protocol === 'https:',
    fetch: window.fetch.bind(window),
    createSocket: (url) => new WebSocket(url),
    setTimeout: (callback, delayMs) => window.setTimeout(callback, delayMs),
    clearTimeout: (id) => window.clearTimeout(id),
  });
  return { bridge, live: bridge.live };
}

installRouteTable(ROUTE_TABLE);

// Before the first paint: a dark room must not see a white flash.
applyTheme(document.documentElement, readTheme(window.localStorage));

const root = document.getElementById('root');
if (root) {
  const face = pickBridge();
  const fallback = window.navigator.language.toLowerCase().startsWith('vi') ? 'vi' : 'en';
  createRoot(root).render(
    <StrictMode>
      <I18nProvider storage={window.localStorage} fallback={fallback}>
        <NavigationProvider navigation={createHashNavigation(window)}>
          {face ? (
            <ApiProvider api={createWorkstationClient(face.bridge)}>
              <LiveStatusProvider source={face.live}>
                <App />
              </LiveStatusProvider>
            </ApiProvider>
          ) : (
            <NoTokenPage />
          )}
        </NavigationProvider>
      </I18nProvider>
    </StrictMode>,
  );
}
