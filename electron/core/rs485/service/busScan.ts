/**
 * The scan of a held bus, as every face asks it (the bus page, `ohtw rs485 scan`): with the settings the bus was
 * connected with. The quick pass calibrates its wait to the bus's baud rate and the answers seen; a second look at
 * a slow or garbled address, and a thorough scan, use the bus's own timeout and retries. The register maps say
 * which modules the bus should hold, so the result names those the scan expected and did not find.
 */
import type { ScanResultView } from '../../../../shared/ipc/contracts/rs485';
import type { BusModule } from '../diagnosis';
import { moduleTypeOfCode } from '../identifyModule';
import type { ProfileCatalog } from '../profiles';
import { scanBus, type ScanProgress } from '../scan';
import type { HeldBus } from './busRegistry';

export type ScanRequest = { from: number; to: number; addresses?: number[] | undefined; thorough: boolean };

export async function scanHeldBus(
  held: HeldBus,
  request: ScanRequest,
  maps: { catalog: ProfileCatalog; expected: readonly BusModule[] },
  deps: { signal: AbortSignal; onProgress: (progress: ScanProgress) => void },
): Promise<ScanResultView> {
  const settings = held.bus.settings;
  const result = await scanBus(held.bus.master, {
    ...(request.addresses ? { addresses: request.addresses } : { from: request.from, to: request.to }),
    format: settings,
    signal: deps.signal,
    onProgress: deps.onProgress,
    slowTimeoutMs: settings.timeoutMs,
    ...(request.thorough ? { timeoutMs: settings.timeoutMs, retries: settings.retries } : {}),
  });
  const asked = new Set(result.addresses);
  const found = new Set(result.modules.map((m) => m.address));
  return {
    busId: held.busId,
    port: settings.path,
    baud: settings.baudRate,
    from: result.from,
    to: result.to,
    durationMs: Math.max(0, result.durationMs),
    probeTimeoutMs: result.probeTimeoutMs,
    thorough: request.thorough,
    cancelled: result.cancelled,
    modules: result.modules.map((m) => ({
      address: m.address,
      deviceId: m.deviceId,
      type: m.type,
      typeRaw: m.typeRaw,
      typeInferred: m.typeInferred,
      typeName: m.typeName,
      moduleType: m.type === null ? null : (moduleTypeOfCode(maps.catalog, m.type) ?? null),
      firmwareVersion: m.firmwareVersion,
      hardwareVersion: m.hardwareVersion,
      status: m.status,
      error: m.error,
      name: m.identity?.name ?? null,
      serialNumber: m.identity?.serialNumber ?? null,
      latencyMs: m.latencyMs,
      lateMs: m.lateMs,
      possibleDuplicate: m.possibleDuplicate,
      notes: m.notes,
    })),
    suspects: result.suspects.map((s) => ({ ...s })),
    expectedMissing: result.cancelled
      ? []
      : maps.expected
          .filter((m) => asked.has(m.address) && !found.has(m.address))
          .map((m) => ({ address: m.address, moduleType: m.type })),
  };
}
