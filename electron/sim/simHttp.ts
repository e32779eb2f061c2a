import type { SimServiceRole, SimVehicle } from './SimVehicle';
import { answerBackend, answerFirmware } from './simHttpRoutes';

/**
 * The HTTP side of a simulated vehicle: the backend (FastAPI, :8000) and the firmware (`oht50_main`, :8081 on
 * the runbook's image, :8080 on newer ones) answer as the real ones do, with the JSON shapes of the vehicle
 * facts, but only while their service runs: a stopped service refuses the connection, as a closed port does.
 */

export type SimApiRole = SimServiceRole;

export type SimApiState = {
  /** Added to every answer's time: `slowApi`. */
  latencyMs: number;
  /** Share of requests answered with `errorStatus` instead (spread evenly, not at random): `apiErrors`. */
  errorRatePercent: number;
  errorStatus: number;
  /** Requests answered so far, which spreads the injected errors evenly. */
  served: number;
  /** Answers that are not JSON (a half-written body, an HTML error page): `apiGarbage`. */
  garbage: boolean;
  /** Paths this build does not offer (they answer 404), e.g. an older firmware without /api/v1/modules/stats. */
  missingPaths: string[];
  /** Protected endpoints refuse requests without a valid token; false plays BYPASS_AUTH=true. */
  authEnforced: boolean;
};

export type SimBackendHttp = SimApiState & {
  /** Origins the CORS middleware allows ('*' for any). */
  corsOrigins: string[];
  /** slowapi's limit per client: 1000 requests per 60 s, then HTTP 429. */
  rateLimit: { limit: number; windowMs: number; windowStartMs: number; used: number };
  /** When set, /api/v1/telemetry/current reports a motor that speeds up and slows down with the clock (live charts). */
  motorCycle?: { periodMs: number; maxSpeed: number };
};

export type SimHttpState = { backend: SimBackendHttp; firmware: SimApiState };

/** The firmware's state machine (system_state_machine.c): the one field the HTTP APIs and the E-Stop share. */
export type SimSystemStateName =
  'INIT' | 'IDLE' | 'MOVE' | 'DOCK' | 'FAULT' | 'ESTOP' | 'SHUTDOWN' | 'BOOT' | 'PAUSED' | 'CONFIG' | 'SAFE';

export type SimStateMachine = {
  current: SimSystemStateName;
  previous: SimSystemStateName;
  /** The vehicle's epoch ms when `current` was entered. */
  enteredAtMs: number;
  transitions: number;
  /** NONE, ESTOP, COMMUNICATION, SENSOR, MOTOR, POWER, SOFTWARE, HARDWARE. */
  fault: string;
  lastEvent: string;
  safetyOk: boolean;
  communicationOk: boolean;
};

export type SimRs485Module = {
  address: number;
  type: string;
  online: boolean;
  /** The vehicle's epoch ms of the last good reply. */
  lastSeenMs: number;
};

/** The firmware's module registry and its statistics (`/api/v1/modules`, `/api/v1/modules/stats`). */
export type SimRs485State = {
  modules: SimRs485Module[];
  crcErrors: number;
  healthTimeouts: number;
  discoveryTotalMs: number;
  p95Ms: number;
  p99Ms: number;
};

export function defaultHttp(): SimHttpState {
  const api = (): SimApiState => ({
    latencyMs: 0,
    errorRatePercent: 0,
    errorStatus: 500,
    served: 0,
    garbage: false,
    missingPaths: [],
    authEnforced: true,
  });
  return {
    backend: {
      ...api(),
      corsOrigins: ['http://localhost:3000', 'http://localhost:5173', 'http://localhost:8081'],
      rateLimit: { limit: 1000, windowMs: 60_000, windowStartMs: 0, used: 0 },
    },
    firmware: api(),
  };
}

/**
 * The API's process ended (its service stopped, restarted or crashed): what was wrong inside it (slow answers, errors,
 * garbage) ends with it. A build's missing paths and its authentication stay: they are the program, not its state.
 */
export function clearProcessFaults(api: SimApiState): void {
  api.latencyMs = 0;
  api.errorRatePercent = 0;
  api.garbage = false;
}

export function defaultStateMachine(idleSinceMs: number): SimStateMachine {
  return {
    current: 'IDLE',
    previous: 'INIT',
    enteredAtMs: idleSinceMs,
    transitions: 3,
    fault: 'NONE',
    lastEvent: 'INIT_COMPLETE',
    safetyOk: true,
    communicationOk: true,
  };
}

export const SIM_MODULE_TYPES: Record<number, string> = { 2: 'Power', 3: 'Safety', 4: 'Travel', 5: 'Dock' };

export function defaultRs485(nowMs: number): SimRs485State {
  return {
    modules: Object.entries(SIM_MODULE_TYPES).map(([address, type]) => ({
      address: Number(address),
      type,
      online: true,
      lastSeenMs: nowMs,
    })),
    crcErrors: 0,
    healthTimeouts: 0,
    discoveryTotalMs: 412,
    p95Ms: 38,
    p99Ms: 52,
  };
}

export type SimHttpRequest = {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
};

export type SimHttpResponse = { status: number; headers: [string, string][]; body: string };

export type SimHttpOutcome = { kind: 'refused' } | { kind: 'answer'; timeMs: number; response: SimHttpResponse };

/** What a request to 127.0.0.1:`port` gets on this vehicle at `nowMs` (its clock). */
export function answerHttp(vehicle: SimVehicle, port: number, request: SimHttpRequest, nowMs: number): SimHttpOutcome {
  const service = Object.values(vehicle.state.services).find((s) => s.httpPort === port);
  if (!service || service.activeState !== 'active') {
    return { kind: 'refused' };
  }
  const role = service.role;
  const api: SimApiState = vehicle.state.http[role];
  // A local request on a healthy board: a couple of milliseconds, the backend a little slower than the C server.
  const timeMs = (role === 'backend' ? 2.8 : 0.9) + api.latencyMs;
  const response = frame(role, respond(vehicle, role, request, nowMs), nowMs);
  return { kind: 'answer', timeMs, response };
}

/** The headers each server adds itself: uvicorn's lower-case ones, the firmware's hand-written few. */
function frame(role: SimApiRole, response: SimHttpResponse, nowMs: number): SimHttpResponse {
  const length = String(new TextEncoder().encode(response.body).length);
  if (role === 'backend') {
    return {
      ...response,
      headers: [
        ['date', new Date(nowMs).toUTCString()],
        ['server', 'uvicorn'],
        ['content-length', length],
        ...response.headers,
      ],
    };
  }
  return {
    ...response,
    headers: [
      ['Content-Type', 'application/json'],
      ['Content-Length', length],
      ['Connection', 'close'],
    ],
  };
}

function respond(vehicle: SimVehicle, role: SimApiRole, request: SimHttpRequest, nowMs: number): SimHttpResponse {
  const api: SimApiState = vehicle.state.http[role];
  if (role === 'backend') {
    const limited = countForRateLimit(vehicle.state.http.backend, nowMs);
    if (limited) {
      return json(429, { error: 'Rate limit exceeded: 1000 per 1 minute' });
    }
  }
  api.served += 1;
  if (injectErrorNow(api)) {
    return role === 'backend'
      ? {
          status: api.errorStatus,
          headers: [['content-type', 'text/plain; charset=utf-8']],
          body: 'Internal Server Error',
        }
      : json(api.errorStatus, { success: false, message: 'Internal server error' });
  }
  if (api.missingPaths.includes(request.path)) {
    return role === 'backend'
      ? json(404, { detail: 'Not Found' })
      : json(404, { success: false, message: 'Endpoint not found' });
  }
  const response =
    role === 'backend' ? answerBackend(vehicle, request, nowMs) : answerFirmware(vehicle, request, nowMs);
  if (api.garbage && response.status === 200) {
    return { ...response, body: `${response.body.slice(0, Math.floor(response.body.length / 2))}\u0000<html>` };
  }
  return response;
}

/** Spreads the errors evenly: at 20 %, every fifth request fails; at 100 %, all do. */
function injectErrorNow(api: SimApiState): boolean {
  const rate = Math.min(100, Math.max(0, api.errorRatePercent));
  return Math.floor((api.served * rate) / 100) > Math.floor(((api.served - 1) * rate) / 100);
}

function countForRateLimit(backend: SimBackendHttp, nowMs: number): boolean {
  const limit = backend.rateLimit;
  if (nowMs - limit.windowStartMs >= limit.windowMs || nowMs < limit.windowStartMs) {
    limit.windowStartMs = nowMs;
    limit.used = 0;
  }
  limit.used += 1;
  return limit.used > limit.limit;
}

export function json(status: number, body: unknown, headers: [string, string][] = []): SimHttpResponse {
  return { status, headers: [['content-type', 'application/json'], ...headers], body: JSON.stringify(body) };
}

export const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  307: 'Temporary Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `apiErrors(which, 20)`: a fifth of the requests fail with 500; `{ status: 503 }` makes every request fail with 503. */
export type SimApiErrors = number | { ratePercent?: number; status?: number };

export function setApiErrors(api: SimApiState, errors: SimApiErrors): void {
  const spec = typeof errors === 'number' ? { ratePercent: errors } : errors;
  api.errorRatePercent = Math.min(100, Math.max(0, spec.ratePercent ?? (spec.status !== undefined ? 100 : 0)));
  api.errorStatus = spec.status ?? 500;
  api.served = 0;
}

/** A module stops answering: the firmware marks it offline after two missed health checks, and counts them. */
export function setModuleOnline(rs485: SimRs485State, address: number, online: boolean, nowMs: number): void {
  let module = rs485.modules.find((m) => m.address === address);
  if (!module) {
    module = { address, type: SIM_MODULE_TYPES[address] ?? 'Unknown', online: !online, lastSeenMs: nowMs };
    rs485.modules.push(module);
    rs485.modules.sort((a, b) => a.address - b.address);
  }
  if (module.online && !online) {
    rs485.healthTimeouts += 2;
    module.lastSeenMs = nowMs - 20_000;
  }
  if (online) {
    module.lastSeenMs = nowMs;
  }
  module.online = online;
}

export function enterSystemState(
  machine: SimStateMachine,
  state: SimSystemStateName,
  nowMs: number,
  options: { fault?: string; event?: string } = {},
): void {
  if (machine.current !== state) {
    machine.previous = machine.current;
    machine.current = state;
    machine.enteredAtMs = nowMs;
    machine.transitions += 1;
  }
  machine.fault = options.fault ?? (state === 'IDLE' ? 'NONE' : machine.fault);
  machine.lastEvent = options.event ?? machine.lastEvent;
}
