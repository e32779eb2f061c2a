import { describe, expect, it } from 'vitest';

import { createWorkstationClient } from '../../../shared/ipc/client';
import { IPC_EVENT_CHANNEL, type CallName } from '../../../shared/ipc/contract';
import { createPreloadBridge } from '../../../electron/preload/bridge';
import { FakeIpcRenderer } from '../../support/fakes/FakeIpcRenderer';

describe('preload bridge', () => {
  it('invokes a contract call on its ohtw: channel with the input as the only argument', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.reply = () => Promise.resolve({ ok: true, value: [] });
    const bridge = createPreloadBridge(ipc);
    await expect(bridge.invoke('units.list', {})).resolves.toEqual({ ok: true, value: [] });
    expect(ipc.invoked).toEqual([{ channel: 'ohtw:units.list', args: [{}] }]);
  });

  it('never sends an unknown call name over IPC and answers it with an error envelope', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge(ipc);
    for (const name of ['event', 'units.list/../x', '__proto__', 'constructor', 'toString', '']) {
      await expect(bridge.invoke(name as CallName, {})).resolves.toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    }
    expect(ipc.invoked).toEqual([]);
  });

  it('delivers events without the IPC event object, and unsubscribe stops them', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge(ipc);
    const seen: unknown[] = [];
    const unsubscribe = bridge.subscribe((event) => seen.push(event));
    ipc.send(IPC_EVENT_CHANNEL, { name: 'units.changed', payload: { name: 'oht-07' } });
    ipc.send(IPC_EVENT_CHANNEL, 'not an event');
    expect(seen).toEqual([{ name: 'units.changed', payload: { name: 'oht-07' } }]);
    unsubscribe();
    expect(ipc.listenerCount(IPC_EVENT_CHANNEL)).toBe(0);
    ipc.send(IPC_EVENT_CHANNEL, { name: 'units.changed', payload: { name: 'oht-08' } });
    expect(seen).toHaveLength(1);
  });

  it('works under the typed client: error envelopes become AppErrors', async () => {
    const ipc = new FakeIpcRenderer();
    ipc.reply = () => Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'No unit oht-09' } });
    const api = createWorkstationClient(createPreloadBridge(ipc));
    await expect(api.call('units.remove', { name: 'oht-09' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
