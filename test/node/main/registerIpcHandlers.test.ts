import { describe, expect, it } from 'vitest';

import { CALL_NAMES, IPC_PREFIX, type CallName } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import { registerIpcHandlers, type IpcInvokeEventLike } from '../../../electron/main/ipc/registerIpcHandlers';
import { createSenderValidator } from '../../../electron/main/ipc/validateSender';
import { appEntryUrl } from '../../../electron/main/security';
import { createCapturingLogger } from '../../support/fakes/captureLogger';
import { FakeIpcMain, fakeInvokeEvent } from '../../support/fakes/FakeIpcMain';

const APP_URL = appEntryUrl();

function setUp() {
  const ipc = new FakeIpcMain();
  const dispatched: { name: CallName; input: unknown }[] = [];
  const dispatch = (name: CallName, input: unknown): Promise<Envelope<unknown>> => {
    dispatched.push({ name, input });
    return Promise.resolve({ ok: true, value: { answered: name } });
  };
  const { logger, records } = createCapturingLogger();
  const unregister = registerIpcHandlers(ipc, dispatch, createSenderValidator(APP_URL), logger);
  return { ipc, dispatched, records, unregister };
}

describe('registerIpcHandlers', () => {
  it('registers one handler per contract call on its ohtw: channel, and nothing else', () => {
    const { ipc } = setUp();
    expect(ipc.channels.sort()).toEqual(CALL_NAMES.map((name) => `ohtw:${name}`).sort());
    expect(ipc.channels.every((channel) => channel.startsWith(IPC_PREFIX))).toBe(true);
  });

  it("answers a trusted frame with dispatch's envelope, passing name and input through", async () => {
    const { ipc, dispatched } = setUp();
    const answer = await ipc.invoke('ohtw:history.list', fakeInvokeEvent(`${APP_URL}#/units`), { name: 'oht-07' });
    expect(answer).toEqual({ ok: true, value: { answered: 'history.list' } });
    expect(dispatched).toEqual([{ name: 'history.list', input: { name: 'oht-07' } }]);
  });

  it.each<[string, IpcInvokeEventLike]>([
    ['a sub-frame of the app', fakeInvokeEvent(APP_URL, { url: APP_URL })],
    ['a foreign web page', fakeInvokeEvent('https://evil.example/')],
    ['another local file', fakeInvokeEvent('file:///tmp/evil.html')],
    ['a frame that is gone', { senderFrame: null }],
  ])('refuses %s with UNAUTHORIZED and never calls dispatch', async (_what, event) => {
    const { ipc, dispatched, records } = setUp();
    const answer = await ipc.invoke('ohtw:units.remove', event, { name: 'oht-07' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(dispatched).toEqual([]);
    expect(records).toContainEqual(expect.objectContaining({ level: 'warn' }));
  });

  it('turns a throwing dispatch into an error envelope', async () => {
    const ipc = new FakeIpcMain();
    const { logger } = createCapturingLogger();
    registerIpcHandlers(
      ipc,
      () => Promise.reject(new Error('boom')),
      () => true,
      logger,
    );
    await expect(ipc.invoke('ohtw:units.list', fakeInvokeEvent(APP_URL), {})).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });

  it('the returned function removes every handler, so registering again works', () => {
    const { ipc, unregister } = setUp();
    unregister();
    expect(ipc.channels).toEqual([]);
    registerIpcHandlers(
      ipc,
      () => Promise.resolve({ ok: true, value: null }),
      () => true,
    );
    expect(ipc.channels).toHaveLength(CALL_NAMES.length);
  });
});
