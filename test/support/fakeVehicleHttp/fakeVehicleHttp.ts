import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fake OHT-50 backend and firmware for tests against a real sshd: two node:http servers on 127.0.0.1, on
 * ports of their own, answering the few endpoints the workstation asks with the JSON shapes of the vehicle
 * facts. Knobs make them slow, failing, careless about auth, garbage-speaking or absent (404); the firmware can
 * go down (its port then refuses connections) and come back on the same port.
 */

export type FakeApiKnobs = {
  /** Every answer waits this long. */
  delayMs: number;
  /** Every n-th request (1 = all) answers `errorStatus`; 0 = none. */
  errorEvery: number;
  errorStatus: number;
  /** Paths answered with 404, as a build without them. */
  missing: Set<string>;
  /** Bodies that are not JSON. */
  garbage: boolean;
  /** Requests answered since the last reset: the error spreading counts from here. */
  served: number;
};

export type FakeBackendKnobs = FakeApiKnobs & { authEnforced: boolean; corsOrigin: string | null };

export type FakeModule = { address: number; type: string; online: boolean };

export type FakeFirmwareKnobs = FakeApiKnobs & {
  state: string;
  /** When set, POST /api/v1/state/reset reads this file as the E-Stop input and refuses while it reads 0. */
  estopPinFile: string | null;
  modules: FakeModule[];
  stats: { crc_errors: number; health_timeouts: number; p95_ms: number; p99_ms: number };
};

export type FakeVehicleHttp = {
  backendPort: number;
  firmwarePort: number;
  backend: FakeBackendKnobs;
  firmware: FakeFirmwareKnobs;
  /** Requests seen, as "METHOD path" lines, per API. */
  requests: { backend: string[]; firmware: string[] };
  /** Puts every knob back as a healthy vehicle has it. */
  reset(): void;
  stopFirmware(): Promise<void>;
  startFirmware(): Promise<void>;
  close(): Promise<void>;
};

function apiDefaults(): FakeApiKnobs {
  return { delayMs: 0, errorEvery: 0, errorStatus: 500, missing: new Set(), garbage: false, served: 0 };
}

function backendDefaults(): FakeBackendKnobs {
  return { ...apiDefaults(), authEnforced: true, corsOrigin: 'http://localhost:3000' };
}

function firmwareDefaults(): FakeFirmwareKnobs {
  return {
    ...apiDefaults(),
    state: 'IDLE',
    estopPinFile: null,
    modules: [
      { address: 2, type: 'Power', online: true },
      { address: 3, type: 'Safety', online: true },
      { address: 4, type: 'Travel', online: true },
      { address: 5, type: 'Dock', online: true },
    ],
    stats: { crc_errors: 0, health_timeouts: 0, p95_ms: 35, p99_ms: 48 },
  };
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body,
  headers,
});

function backendRoute(knobs: FakeBackendKnobs, request: IncomingMessage, path: string): Reply {
  const now = new Date().toISOString();
  const protectedPaths = ['/api/v1/monitoring/metrics', '/api/v1/rs485/bus/health', '/api/v1/system/status'];
  if (protectedPaths.includes(path) && knobs.authEnforced) {
    const auth = request.headers.authorization;
    if (auth === undefined) {
      return json(403, { detail: 'Not authenticated' });
    }
    return json(401, { detail: 'Could not validate credentials' });
  }
  switch (path) {
    case '/health':
      return json(200, { success: true, status: 'healthy', timestamp: now, overall_health_score: 97.0 });
    case '/api/v1/health/':
      return json(200, { status: 'healthy', timestamp: now, service: 'OHT-50 Backend', version: '1.0.0' });
    case '/api/v1/health/detailed':
      return json(200, {
        status: 'healthy',
        timestamp: now,
        components: {
          database: { status: 'healthy' },
          firmware: { status: 'healthy', firmware_connected: true },
          system_resources: { cpu_percent: 12.5, memory_percent: 40.1, disk_percent: 33.0 },
        },
      });
    case '/api/v1/safety/status':
      return json(200, {
        status: 'normal',
        emergency_stop: false,
        obstacles_detected: false,
        temperature_normal: true,
        timestamp: now,
      });
    case '/api/v1/system/status':
      return json(200, { success: true, data: { state: 'IDLE' } });
    case '/api/v1/monitoring/metrics':
      return json(200, { success: true, data: { cpu_percent: 12.5, memory_percent: 40.1, disk_percent: 33.0 } });
    case '/api/v1/rs485/bus/health':
      return json(200, { success: true, data: { status: 'online', error_rate: 0.2, response_time_p95: 30 } });
    default:
      return json(404, { detail: 'Not Found' });
  }
}

/** The firmware's static tokens (vehicle facts §2.1): any of them may POST under /state/. */
const FIRMWARE_TOKENS = ['oht50_admin_token_2025', 'oht50_operator_token_2025', 'oht50_readonly_token_2025'];

/** POST /api/v1/state/reset: allowed only from ESTOP or FAULT, with a token, and never while the pin reads 0. */
function firmwareReset(knobs: FakeFirmwareKnobs, request: IncomingMessage): Reply {
  const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined || !FIRMWARE_TOKENS.includes(token)) {
    return json(401, {
      success: false,
      message: 'Unauthorized',
      example: 'Authorization: Bearer oht50_admin_token_2025',
    });
  }
  if (knobs.estopPinFile !== null && readFileSync(knobs.estopPinFile, 'utf8').trim() === '0') {
    return json(409, { success: false, message: 'E-Stop input is active: reset refused' });
  }
  if (knobs.state !== 'ESTOP' && knobs.state !== 'FAULT') {
    return json(400, { success: false, message: `Reset not allowed from state ${knobs.state}` });
  }
  knobs.state = 'IDLE';
  return json(200, { success: true, message: 'State reset', state: 'IDLE' });
}

function firmwareRoute(knobs: FakeFirmwareKnobs, path: string, request?: IncomingMessage): Reply {
  if (request?.method === 'POST') {
    return path === '/api/v1/state/reset' && request
      ? firmwareReset(knobs, request)
      : json(404, { success: false, message: 'Endpoint not found' });
  }
  switch (path) {
    case '/health':
      return json(200, {
        success: true,
        status: 'healthy',
        firmware: 'running',
        data: { system_state: knobs.state, timestamp: Math.floor(Date.now() / 1000), version: '1.0.0' },
      });
    case '/api/v1/system/state':
      return json(200, {
        success: true,
        data: {
          current_state: knobs.state,
          previous_state: 'INIT',
          state_duration_ms: 3_600_000,
          total_transitions: 3,
          system_ready: knobs.state === 'IDLE',
          safety_ok: knobs.state !== 'ESTOP',
          communication_ok: knobs.modules.every((m) => m.online),
          sensors_ok: true,
          location_ok: true,
          last_event: 'INIT_COMPLETE',
          current_fault: knobs.state === 'ESTOP' ? 'ESTOP' : 'NONE',
          state_timeout_ms: 0,
          timestamp: Date.now(),
        },
      });
    case '/api/v1/modules':
      return json(200, {
        success: true,
        modules: knobs.modules.map((m) => ({ ...m, last_seen: new Date().toISOString() })),
      });
    case '/api/v1/modules/stats': {
      const online = knobs.modules.filter((m) => m.online).length;
      return json(200, {
        success: true,
        data: {
          total_modules: knobs.modules.length,
          online_modules: online,
          offline_modules: knobs.modules.length - online,
          discovery_total_ms: 400,
          ...knobs.stats,
        },
      });
    }
    default:
      return json(404, { success: false, message: 'Endpoint not found' });
  }
}

function serve(
  knobs: () => FakeApiKnobs,
  route: (request: IncomingMessage, path: string) => Reply,
  log: string[],
  extraHeaders: (request: IncomingMessage) => Record<string, string>,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const k = knobs();
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    log.push(`${request.method ?? 'GET'} ${path}`);
    k.served += 1;
    const reply: Reply =
      k.errorEvery > 0 && k.served % k.errorEvery === 0
        ? json(k.errorStatus, { detail: 'Internal Server Error' })
        : k.missing.has(path)
          ? json(404, { detail: 'Not Found' })
          : route(request, path);
    const body = k.garbage && reply.status === 200 ? '<html><body>502 Bad Gateway' : JSON.stringify(reply.body);
    const timer = setTimeout(() => {
      if (response.destroyed) {
        return;
      }
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        ...reply.headers,
        ...extraHeaders(request),
      });
      response.end(body);
    }, k.delayMs);
    response.on('close', () => clearTimeout(timer));
  };
}

type Listening = { server: Server; sockets: Set<Socket> };

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  port = 0,
): Promise<Listening> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, sockets };
}

async function shut(listening: Listening | null): Promise<void> {
  if (!listening) {
    return;
  }
  const closed = new Promise<void>((resolve) => listening.server.close(() => resolve()));
  listening.sockets.forEach((socket) => socket.destroy());
  await closed;
}

/** Listens on the given port, or on any free one when it is taken (or not given). */
async function listenPreferring(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  port: number | undefined,
): Promise<Listening> {
  if (port !== undefined) {
    try {
      return await listen(handler, port);
    } catch {
      // Taken (a real service, another test): any free port will do.
    }
  }
  return listen(handler);
}

/** `ports` asks for the vehicle's own ports (8000, 8081) where they are free, as a bench wants them. */
export async function startFakeVehicleHttp(
  ports: { backend?: number; firmware?: number } = {},
): Promise<FakeVehicleHttp> {
  const requests = { backend: [] as string[], firmware: [] as string[] };
  const fake = {
    backend: backendDefaults(),
    firmware: firmwareDefaults(),
  };
  const backendHandler = serve(
    () => fake.backend,
    (request, path) => backendRoute(fake.backend, request, path),
    requests.backend,
    (request): Record<string, string> => {
      const origin = request.headers.origin;
      return origin !== undefined && origin === fake.backend.corsOrigin
        ? { 'access-control-allow-origin': origin, vary: 'Origin' }
        : {};
    },
  );
  const firmwareHandler = serve(
    () => fake.firmware,
    (request, path) => firmwareRoute(fake.firmware, path, request),
    requests.firmware,
    () => ({ connection: 'close' }),
  );
  const backend = await listenPreferring(backendHandler, ports.backend);
  let firmware: Listening | null = await listenPreferring(firmwareHandler, ports.firmware);
  const backendPort = (backend.server.address() as AddressInfo).port;
  const firmwarePort = (firmware.server.address() as AddressInfo).port;
  return {
    backendPort,
    firmwarePort,
    get backend() {
      return fake.backend;
    },
    get firmware() {
      return fake.firmware;
    },
    requests,
    reset() {
      fake.backend = backendDefaults();
      fake.firmware = firmwareDefaults();
    },
    async stopFirmware() {
      await shut(firmware);
      firmware = null;
    },
    async startFirmware() {
      firmware ??= await listen(firmwareHandler, firmwarePort);
    },
    async close() {
      await shut(firmware);
      await shut(backend);
    },
  };
}
