import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { startFixtureHost } from './hostFixture';

type Fixture = Awaited<ReturnType<typeof startFixtureHost>>;

function openEvents(
  fixture: Fixture,
  options: { token?: string | null; origin?: string; path?: string; client?: string } = {},
): WebSocket {
  const token = options.token === undefined ? fixture.host.token : options.token;
  const query =
    (token === null ? '' : `?token=${encodeURIComponent(token)}`) +
    (options.client === undefined ? '' : `&client=${options.client}`);
  const headers = options.origin === undefined ? {} : { origin: options.origin };
  return new WebSocket(`ws://127.0.0.1:${fixture.host.port}${options.path ?? '/api/events'}${query}`, { headers });
}

function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
}

/** The HTTP status of a refused upgrade. */
function refusedWith(socket: WebSocket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      // Handling the response ourselves means ending the attempt, which ws then reports as an error.
      socket.on('error', () => undefined);
      socket.terminate();
    });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
}

describe('browser host: GET /api/events', () => {
  let fixture: Fixture | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.terminate());
    await fixture?.dispose();
    fixture = undefined;
  });

  it('forwards every core event as {name, payload} to a page with the token', async () => {
    fixture = await startFixtureHost();
    const socket = openEvents(fixture);
    sockets.push(socket);
    await opened(socket);
    const first = nextMessage(socket);
    fixture.core.emit({ name: 'units.changed', payload: { name: 'oht-07' } });
    expect(await first).toEqual({ name: 'units.changed', payload: { name: 'oht-07' } });
    const second = nextMessage(socket);
    fixture.core.emit({ name: 'diagnostics.progress', payload: { unit: 'oht-07', phase: 'running' } });
    expect(await second).toEqual({ name: 'diagnostics.progress', payload: { unit: 'oht-07', phase: 'running' } });
  });

  it('accepts the page of its own origin', async () => {
    fixture = await startFixtureHost();
    const socket = openEvents(fixture, { origin: fixture.host.origin });
    sockets.push(socket);
    await expect(opened(socket)).resolves.toBeUndefined();
  });

  it('refuses the upgrade with 401 without the token or with a wrong one', async () => {
    fixture = await startFixtureHost();
    const none = openEvents(fixture, { token: null });
    const wrong = openEvents(fixture, { token: 'wrong' });
    sockets.push(none, wrong);
    expect(await refusedWith(none)).toBe(401);
    expect(await refusedWith(wrong)).toBe(401);
  });

  it('refuses the upgrade with 403 from another origin, even with the token', async () => {
    fixture = await startFixtureHost();
    const socket = openEvents(fixture, { origin: 'https://evil.example' });
    sockets.push(socket);
    expect(await refusedWith(socket)).toBe(403);
  });

  it('refuses an upgrade anywhere but the events path', async () => {
    fixture = await startFixtureHost();
    const socket = openEvents(fixture, { path: '/api/call/units.list' });
    sockets.push(socket);
    expect(await refusedWith(socket)).toBe(404);
  });

  it('pings connected pages', async () => {
    fixture = await startFixtureHost({ heartbeatMs: 20 });
    const socket = openEvents(fixture);
    sockets.push(socket);
    await opened(socket);
    await new Promise<void>((resolve) => socket.once('ping', () => resolve()));
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });

  it('close() ends open sockets and stops listening to the core', async () => {
    fixture = await startFixtureHost();
    const socket = openEvents(fixture);
    sockets.push(socket);
    await opened(socket);
    expect(fixture.core.subscriberCount).toBe(1);
    const closed = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
    await fixture.host.close();
    expect(await closed).toBe(1001);
    expect(fixture.core.subscriberCount).toBe(0);
    await expect(fetch(`${fixture.host.origin}/`)).rejects.toThrow();
  });

  it("sends a stream's events to the page that opened it alone, and ends its streams when its last socket closes", async () => {
    fixture = await startFixtureHost();
    const [mine, mineAgain, other] = [
      openEvents(fixture, { client: 'page-aaaa-1111' }),
      openEvents(fixture, { client: 'page-aaaa-1111' }),
      openEvents(fixture, { client: 'page-bbbb-2222' }),
    ];
    sockets.push(mine, mineAgain, other);
    await Promise.all([opened(mine), opened(mineAgain), opened(other)]);
    const received = { mine: [] as unknown[], other: [] as unknown[] };
    mine.on('message', (data: Buffer) => received.mine.push(JSON.parse(data.toString())));
    other.on('message', (data: Buffer) => received.other.push(JSON.parse(data.toString())));
    const output = { name: 'terminal.output', payload: { streamId: 's1', seq: 1, data: 'x' }, to: 'page-aaaa-1111' };
    fixture.core.emit(output);
    fixture.core.emit({ name: 'units.changed', payload: { name: 'oht-07' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.mine).toEqual([
      { name: 'terminal.output', payload: output.payload },
      { name: 'units.changed', payload: { name: 'oht-07' } },
    ]);
    expect(received.other).toEqual([{ name: 'units.changed', payload: { name: 'oht-07' } }]);

    // The page is still there while one of its sockets is.
    mine.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.core.released).toEqual([]);
    mineAgain.close();
    const deadline = Date.now() + 5000;
    while (fixture.core.released.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(fixture.core.released).toEqual(['page-aaaa-1111']);
  });

  it("hands the page's name on with its calls, and ignores a name that is not one", async () => {
    fixture = await startFixtureHost();
    for (const client of ['page-aaaa-1111', 'x', '../../etc']) {
      await fetch(`${fixture.host.origin}/api/call/units.list`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fixture.host.token}`, 'x-ohtw-client': client },
        body: '{}',
      });
    }
    expect(fixture.core.calls.map((call) => call.client)).toEqual(['page-aaaa-1111', undefined, undefined]);
  });
});
