import { json, SIM_MODULE_TYPES, type SimHttpRequest, type SimHttpResponse, type SimSystemStateName } from './simHttp';
import type { SimVehicle } from './SimVehicle';

/**
 * The endpoints of the two APIs, with the shapes the vehicle facts (§2.1, §2.2) give. Only what a technician or
 * the workstation asks is here; anything else answers 404 as an unknown route does.
 */

const VERSION = '1.0.0';
const iso = (ms: number): string => new Date(ms).toISOString();

/** Static firmware tokens (api_manager.c); the backend takes JWTs, of which the simulator knows none but `mock_token`. */
const FIRMWARE_TOKENS: Record<string, 'admin' | 'operator' | 'readonly'> = {
  oht50_admin_token_2025: 'admin',
  oht50_operator_token_2025: 'operator',
  oht50_readonly_token_2025: 'readonly',
};

function bearer(request: SimHttpRequest): string | null {
  const value = request.headers.authorization;
  const match = value === undefined ? null : /^Bearer\s+(\S+)$/i.exec(value.trim());
  return match?.[1] ?? null;
}

// ---------------------------------------------------------------- backend (FastAPI on :8000)

/** FastAPI's answer to a trailing-slash mismatch: a redirect to the other form. */
function redirect(request: SimHttpRequest, to: string): SimHttpResponse {
  const host = request.headers.host ?? '127.0.0.1:8000';
  return { status: 307, headers: [['location', `http://${host}${to}`]], body: '' };
}

function cors(vehicle: SimVehicle, request: SimHttpRequest, response: SimHttpResponse): SimHttpResponse {
  const origin = request.headers.origin;
  const allowed = vehicle.state.http.backend.corsOrigins;
  if (origin === undefined || !(allowed.includes('*') || allowed.includes(origin))) {
    return response;
  }
  return {
    ...response,
    headers: [
      ...response.headers,
      ['access-control-allow-origin', allowed.includes('*') ? '*' : origin],
      ['access-control-allow-credentials', 'true'],
      ['vary', 'Origin'],
    ],
  };
}

/** HTTPBearer: no credentials → 403 "Not authenticated"; a token it cannot validate → 401. */
function requireLogin(vehicle: SimVehicle, request: SimHttpRequest): SimHttpResponse | null {
  if (!vehicle.state.http.backend.authEnforced) {
    return null;
  }
  const token = bearer(request);
  if (token === null) {
    return json(403, { detail: 'Not authenticated' });
  }
  if (token !== 'mock_token') {
    return json(401, { detail: 'Could not validate credentials' }, [['www-authenticate', 'Bearer']]);
  }
  return null;
}

function firmwareConnected(vehicle: SimVehicle): boolean {
  return vehicle.state.services.firmware.activeState === 'active';
}

const RESOURCES = { cpu_percent: 23.4, memory_percent: 41.2, disk_percent: 37.0 };

const BACKEND_GET: Record<string, (vehicle: SimVehicle, request: SimHttpRequest, nowMs: number) => SimHttpResponse> = {
  '/health': (vehicle, _request, nowMs) =>
    json(200, {
      success: true,
      status: 'healthy',
      timestamp: iso(nowMs),
      system_health: RESOURCES,
      overall_health_score: firmwareConnected(vehicle) ? 96.5 : 71.0,
      performance: { avg_response_time_ms: 3.1 + vehicle.state.http.backend.latencyMs },
    }),
  '/health/fast': (_vehicle, _request, nowMs) => json(200, { status: 'healthy', timestamp: iso(nowMs) }),
  '/health/': (_vehicle, request) => redirect(request, '/health'),
  '/api/v1/health': (_vehicle, request) => redirect(request, '/api/v1/health/'),
  '/api/v1/health/': (_vehicle, _request, nowMs) =>
    json(200, { status: 'healthy', timestamp: iso(nowMs), service: 'OHT-50 Backend', version: VERSION }),
  '/api/v1/health/detailed': (vehicle, _request, nowMs) => {
    const connected = firmwareConnected(vehicle);
    return json(200, {
      status: connected ? 'healthy' : 'degraded',
      timestamp: iso(nowMs),
      components: {
        database: { status: 'healthy', type: 'sqlite' },
        firmware: { status: connected ? 'healthy' : 'unhealthy', firmware_connected: connected },
        system_resources: RESOURCES,
      },
    });
  },
  '/api/v1/safety/status': (vehicle, _request, nowMs) => {
    const estop = vehicle.state.stateMachine.current === 'ESTOP';
    return json(200, {
      status: estop ? 'emergency' : 'normal',
      emergency_stop: estop,
      obstacles_detected: false,
      temperature_normal: true,
      timestamp: iso(nowMs),
    });
  },
};

/** Routes behind the login (monitoring, rs485, telemetry, the firmware proxy). */
const BACKEND_PROTECTED: Record<string, (vehicle: SimVehicle, nowMs: number) => SimHttpResponse> = {
  '/api/v1/monitoring/metrics': (vehicle, nowMs) =>
    json(200, {
      success: true,
      data: {
        timestamp: iso(nowMs),
        ...RESOURCES,
        network_bytes_sent: 18_204_113,
        network_bytes_recv: 40_991_520,
        active_connections: 3,
        uptime_seconds: Math.round((nowMs - vehicle.state.system.bootedAtMs) / 1000),
      },
    }),
  '/api/v1/monitoring/health': (_vehicle, nowMs) =>
    json(200, { success: true, status: 'healthy', timestamp: iso(nowMs) }),
  '/api/v1/rs485/bus/health': (vehicle, nowMs) => {
    const { modules, healthTimeouts, crcErrors, p95Ms } = vehicle.state.rs485;
    const online = modules.filter((m) => m.online).length;
    const running = firmwareConnected(vehicle);
    const errorRate = Math.min(100, (healthTimeouts + crcErrors) / 10);
    return json(200, {
      success: true,
      data: {
        status: !running ? 'offline' : online < modules.length ? 'warning' : 'online',
        error_rate: running ? errorRate : 100,
        response_time_p95: p95Ms,
        throughput: running ? 48 : 0,
        last_scan: iso(vehicle.state.system.bootedAtMs + 11_000),
        total_modules: modules.length,
        active_modules: running ? online : 0,
        failed_modules: running ? modules.length - online : modules.length,
      },
      message: 'Retrieved RS485 bus health successfully',
      timestamp: iso(nowMs),
    });
  },
  '/api/v1/rs485/modules': (vehicle, nowMs) =>
    json(200, {
      success: true,
      data: vehicle.state.rs485.modules.map((m) => ({
        address: m.address,
        addr: `0x${m.address.toString(16).padStart(2, '0')}`,
        name: `${m.type} Module`,
        status: m.online ? 'healthy' : 'offline',
        last_seen: iso(m.lastSeenMs),
      })),
      timestamp: iso(nowMs),
    }),
  '/api/v1/system/status': (vehicle) =>
    json(200, { success: true, data: { state: vehicle.state.stateMachine.current, connected: true } }),
  '/api/v1/telemetry/current': (vehicle, nowMs) =>
    json(200, {
      timestamp: iso(nowMs),
      ...motorReading(vehicle, nowMs),
      dock_status: 'undocked',
      safety_status: vehicle.state.stateMachine.current === 'ESTOP' ? 'emergency' : 'normal',
    }),
};

/** A resting motor, or with `motorCycle` one that runs up to its top speed and back, warming as it goes. */
function motorReading(vehicle: SimVehicle, nowMs: number): { motor_speed: number; motor_temperature: number } {
  const cycle = vehicle.state.http.backend.motorCycle;
  if (!cycle || vehicle.state.stateMachine.current === 'ESTOP') {
    return { motor_speed: 0, motor_temperature: 36.5 };
  }
  const share = (1 - Math.cos((2 * Math.PI * (nowMs % cycle.periodMs)) / cycle.periodMs)) / 2;
  return {
    motor_speed: Math.round(cycle.maxSpeed * share),
    motor_temperature: Math.round((36.5 + 9 * share) * 10) / 10,
  };
}

export function answerBackend(vehicle: SimVehicle, request: SimHttpRequest, nowMs: number): SimHttpResponse {
  return cors(vehicle, request, routeBackend(vehicle, request, nowMs));
}

function routeBackend(vehicle: SimVehicle, request: SimHttpRequest, nowMs: number): SimHttpResponse {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const open = BACKEND_GET[request.path];
  const protectedRoute = BACKEND_PROTECTED[request.path];
  if (open || protectedRoute) {
    if (method !== 'GET') {
      return json(405, { detail: 'Method Not Allowed' }, [['allow', 'GET']]);
    }
    if (open) {
      return open(vehicle, request, nowMs);
    }
    return requireLogin(vehicle, request) ?? (protectedRoute ? protectedRoute(vehicle, nowMs) : json(404, {}));
  }
  if (request.path === '/api/v1/safety/emergency-stop' || request.path === '/api/v1/safety/emergency') {
    if (method !== 'POST') {
      return json(405, { detail: 'Method Not Allowed' }, [['allow', 'POST']]);
    }
    const denied = requireLogin(vehicle, request);
    if (denied) {
      return denied;
    }
    vehicle.setSystemState('ESTOP', { fault: 'ESTOP', event: 'ESTOP_TRIGGERED' });
    return json(200, { success: true, message: 'Emergency stop activated', timestamp: iso(nowMs) });
  }
  if (request.path === '/api/v1/auth/login' && method === 'POST') {
    return json(401, { detail: 'Incorrect username or password' }, [['www-authenticate', 'Bearer']]);
  }
  // Not mounted in main.py (the runbook's /api/v1/config/ among them), or never existed (/api/v1/safety/reset).
  return json(404, { detail: 'Not Found' });
}

// ---------------------------------------------------------------- firmware (oht50_main, hand-written server)

function systemState(vehicle: SimVehicle, nowMs: number): unknown {
  const sm = vehicle.state.stateMachine;
  const timeouts: Partial<Record<SimSystemStateName, number>> = {
    BOOT: 10_000,
    INIT: 5_000,
    MOVE: 30_000,
    PAUSED: 60_000,
    DOCK: 15_000,
    CONFIG: 10_000,
  };
  const offline = vehicle.state.rs485.modules.some((m) => !m.online);
  return {
    success: true,
    data: {
      current_state: sm.current,
      previous_state: sm.previous,
      state_duration_ms: Math.max(0, Math.round(nowMs - sm.enteredAtMs)),
      total_transitions: sm.transitions,
      system_ready: sm.current === 'IDLE',
      safety_ok: sm.safetyOk && sm.current !== 'ESTOP',
      communication_ok: sm.communicationOk && !offline,
      sensors_ok: true,
      location_ok: true,
      last_event: sm.lastEvent,
      current_fault: sm.fault,
      state_timeout_ms: timeouts[sm.current] ?? 0,
      timestamp: Math.round(nowMs),
    },
  };
}

const FIRMWARE_GET: Record<string, (vehicle: SimVehicle, nowMs: number) => unknown> = {
  '/health': (vehicle, nowMs) => ({
    success: true,
    status: 'healthy',
    firmware: 'running',
    data: { system_state: vehicle.state.stateMachine.current, timestamp: Math.floor(nowMs / 1000), version: VERSION },
  }),
  // Hard-coded in api_endpoints.c, whatever the vehicle does: kept that way on purpose.
  '/api/v1/system/status': () => ({ success: true, data: { system: 'OHT-50', status: 'ok' } }),
  '/api/v1/safety/status': () => ({ estop_active: false, safety_ok: true }),
  '/api/v1/system/state': systemState,
  '/api/v1/state/statistics': (vehicle) => ({
    success: true,
    data: {
      total_transitions: vehicle.state.stateMachine.transitions,
      current_state: vehicle.state.stateMachine.current,
    },
  }),
  '/api/v1/modules': (vehicle) => ({
    success: true,
    modules: vehicle.state.rs485.modules.map((m) => ({
      address: m.address,
      type: m.type,
      online: m.online,
      last_seen: iso(m.lastSeenMs),
    })),
  }),
  '/api/v1/modules/stats': (vehicle) => {
    const r = vehicle.state.rs485;
    const online = r.modules.filter((m) => m.online).length;
    return {
      success: true,
      data: {
        total_modules: r.modules.length,
        online_modules: online,
        offline_modules: r.modules.length - online,
        discovery_total_ms: r.discoveryTotalMs,
        p95_ms: r.p95Ms,
        p99_ms: r.p99Ms,
        health_timeouts: r.healthTimeouts,
        crc_errors: r.crcErrors,
      },
    };
  },
  // The fallback list the facts warn about: always four modules, wrong types, a made-up score.
  '/api/v1/rs485/modules': () => ({
    success: true,
    data: {
      modules: [2, 3, 4, 5].map((address, i) => ({
        address,
        name: `${SIM_MODULE_TYPES[address] ?? 'Unknown'} Module`,
        status: 'healthy',
        type: i + 1,
        version: VERSION,
      })),
      total_modules: 4,
      health_score: 75.0,
    },
  }),
};

const STATE_COMMANDS = new Set(['move', 'stop', 'emergency', 'reset']);

export function answerFirmware(vehicle: SimVehicle, request: SimHttpRequest, nowMs: number): SimHttpResponse {
  return routeFirmware(vehicle, request, nowMs);
}

function routeFirmware(vehicle: SimVehicle, request: SimHttpRequest, nowMs: number): SimHttpResponse {
  const method = request.method;
  if (method !== 'GET' && method !== 'POST') {
    return json(405, { success: false, message: 'Method not allowed' });
  }
  const route = FIRMWARE_GET[request.path];
  if (route && method === 'GET') {
    return json(200, route(vehicle, nowMs));
  }
  const command = /^\/api\/v1\/state\/([a-z]+)$/.exec(request.path)?.[1];
  if (command !== undefined && STATE_COMMANDS.has(command) && method === 'POST') {
    const token = bearer(request);
    if (vehicle.state.http.firmware.authEnforced && (token === null || FIRMWARE_TOKENS[token] === undefined)) {
      return json(401, {
        success: false,
        message: 'Authentication required',
        example: 'Authorization: Bearer oht50_admin_token_2025',
      });
    }
    return stateCommand(vehicle, command);
  }
  return json(404, { success: false, message: 'Endpoint not found' });
}

function stateCommand(vehicle: SimVehicle, command: string): SimHttpResponse {
  const current = vehicle.state.stateMachine.current;
  const stuck = current === 'FAULT' || current === 'ESTOP';
  switch (command) {
    case 'emergency':
      vehicle.setSystemState('ESTOP', { fault: 'ESTOP', event: 'ESTOP_TRIGGERED' });
      return json(200, { success: true, message: 'Emergency stop triggered' });
    case 'reset':
      if (!stuck) {
        return json(400, { success: false, message: `Reset not allowed from ${current}` });
      }
      vehicle.setSystemState('IDLE', { fault: 'NONE', event: current === 'ESTOP' ? 'ESTOP_RESET' : 'FAULT_CLEARED' });
      return json(200, { success: true, message: 'System reset to IDLE' });
    case 'stop':
      if (stuck) {
        return json(400, { success: false, message: `Stop not allowed from ${current}` });
      }
      vehicle.setSystemState('IDLE', { event: 'STOP_COMMAND' });
      return json(200, { success: true, message: 'Stopped' });
    default:
      if (stuck || current !== 'IDLE') {
        return json(400, { success: false, message: `Move not allowed from ${current}` });
      }
      vehicle.setSystemState('MOVE', { event: 'MOVE_COMMAND' });
      return json(200, { success: true, message: 'Moving' });
  }
}
