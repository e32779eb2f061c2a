import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../shared/domain/thresholds';
import { rs485Module } from '../../../electron/core/diagnostics/modules/rs485Module';
import { get, simChannel, simVehicle, sweepApi, unitWith } from './apiSweepHelpers';

describe('rs485 checks as the vehicle sees its bus', () => {
  it('finds all four modules online and a clean bus OK', async () => {
    const checks = await sweepApi(simChannel(simVehicle()), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules')).toMatchObject({
      level: 'OK',
      message: 'all 4 expected modules online (Power, Safety, Travel, Dock)',
    });
    expect(get(checks, 'rs485.modules').children?.map((c) => [c.id, c.level])).toEqual([
      ['rs485.modules.power', 'OK'],
      ['rs485.modules.safety', 'OK'],
      ['rs485.modules.travel', 'OK'],
      ['rs485.modules.dock', 'OK'],
    ]);
    expect(get(checks, 'rs485.bus.stats')).toMatchObject({
      level: 'OK',
      message: '4 of 4 modules online, no health-check timeouts, no CRC errors, p95 38 ms, p99 52 ms',
    });
    // The backend's bus health needs a login on the real backend: not checked, and not held against the vehicle.
    expect(get(checks, 'rs485.bus.backend')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'rs485.bus.backend').message).toContain('needs a login');
  });

  it('names an offline module: Safety is ERROR, Dock only WARN, with the Communication Failure section', async () => {
    const vehicle = simVehicle();
    vehicle.moduleOffline(0x03);
    let checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules')).toMatchObject({
      level: 'ERROR',
      runbook: 'Emergency › 3. Communication Failure – Network Issues',
    });
    expect(get(checks, 'rs485.modules.safety').message).toMatch(
      /^Safety 0x03 is offline, last seen 2026-11-2\d \d\d:\d\d/,
    );
    vehicle.moduleOnline(0x03);
    vehicle.moduleOffline(0x05);
    checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules')).toMatchObject({ level: 'WARN', message: expect.stringMatching(/^Dock 0x05/) });
  });

  it('says when a module is not on the list at all, and mentions the extra ones', async () => {
    const vehicle = simVehicle();
    vehicle.state.rs485.modules = vehicle.state.rs485.modules.filter((m) => m.address !== 0x04);
    vehicle.state.rs485.modules.push({ address: 6, type: 'Lifter', online: true, lastSeenMs: 0 });
    const checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules.travel')).toMatchObject({
      level: 'ERROR',
      message: "Travel 0x04 is not on the firmware's module list: it was never found on the bus",
    });
    vehicle.state.rs485.modules.push({ address: 4, type: 'Travel', online: true, lastSeenMs: 0 });
    const again = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(again, 'rs485.modules').message).toContain('also Lifter 0x06');
  });

  it('warns on bus timeouts and CRC errors, and judges the latency by the thresholds', async () => {
    const vehicle = simVehicle();
    vehicle.busErrors(4, 2);
    let stats = get(
      await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]),
      'rs485.bus.stats',
    );
    expect(stats).toMatchObject({ level: 'WARN', runbook: 'Emergency › 3. Communication Failure – Network Issues' });
    expect(stats.message).toBe(
      'since the firmware started: 2 health-check timeouts, 4 CRC/frame errors, 4 of 4 modules online, p95 38 ms, p99 52 ms',
    );
    vehicle.state.rs485.p95Ms = 1200;
    stats = get(await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]), 'rs485.bus.stats');
    expect(stats.level).toBe('ERROR');
    expect(stats.message).toContain('modules answer slowly: p95 1200 ms');
  });

  it('reads the backend’s bus health where it answers without a login: error rate by the thresholds', async () => {
    const vehicle = simVehicle();
    vehicle.state.http.backend.authEnforced = false;
    vehicle.busErrors(30, 40);
    const bus = get(
      await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]),
      'rs485.bus.backend',
    );
    expect(bus).toMatchObject({
      level: 'WARN',
      message: 'the backend sees the bus status "online", error rate 7 %, p95 38 ms',
    });
  });

  it('is OK "not offered by this build" when the firmware has no stats endpoint', async () => {
    const vehicle = simVehicle();
    vehicle.state.http.firmware.missingPaths.push('/api/v1/modules/stats', '/api/v1/modules');
    const checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.bus.stats')).toMatchObject({ level: 'OK' });
    expect(get(checks, 'rs485.bus.stats').message).toContain('not offered by this build');
    expect(get(checks, 'rs485.modules')).toMatchObject({ level: 'OK' });
  });

  it('is ERROR when the firmware API is down: nothing can show the modules', async () => {
    const vehicle = simVehicle();
    vehicle.stopService('firmware');
    const checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules')).toMatchObject({ level: 'ERROR' });
    expect(get(checks, 'rs485.modules').message).toContain('connection refused on :8081');
    expect(get(checks, 'rs485.bus').level).toBe('ERROR');
  });

  it('is STALE when the firmware answers garbage', async () => {
    const vehicle = simVehicle();
    vehicle.apiGarbage('firmware');
    const checks = await sweepApi(simChannel(vehicle), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules')).toMatchObject({ level: 'STALE' });
    expect(get(checks, 'rs485.modules').message).toContain('is not JSON');
    expect(get(checks, 'rs485.bus.stats').level).toBe('STALE');
  });

  it('reads the modules on :8080 on a newer build, whatever the profile expected', async () => {
    const checks = await sweepApi(simChannel(simVehicle('newer')), unitWith(), DEFAULT_THRESHOLDS, [rs485Module]);
    expect(get(checks, 'rs485.modules').level).toBe('OK');
    expect(get(checks, 'rs485.modules').evidence).toContain('http://127.0.0.1:8080/api/v1/modules');
  });
});
