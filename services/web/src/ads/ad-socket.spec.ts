import { eventually, openTestNamespace, sleep } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { AddressInfo } from 'node:net';
import { sessionCookieValue } from '../auth/session';
import { MAX_FRAME_BYTES } from '../app';
import { keptLogLines, logIn, openAdSocket, startWeb } from '../testing';

describe('the ad socket protects the race', () => {
  let ns: Awaited<ReturnType<typeof openTestNamespace>>;
  let app: FastifyInstance;
  const open: WebSocket[] = [];
  const log = keptLogLines('warn');

  beforeAll(async () => {
    ns = await openTestNamespace('web-socket');
    app = await startWeb({ AMQP_URL: ns.url, BUS_NAMESPACE: ns.namespace, PAGE_VIEWS_PER_SECOND: '5', AD_DEADLINE_MS: '50' }, log.logger);
  });

  afterAll(async () => {
    for (const ws of open) {
      ws.on('error', () => undefined); // a refused socket reports its refusal as an error too
      ws.terminate();
    }
    await app?.close();
    await ns?.cleanup();
  });

  const port = () => (app.server.address() as AddressInfo).port;
  const url = () => `ws://127.0.0.1:${port()}/api/ws`;
  const closed = (ws: WebSocket) => new Promise<[number, string]>((resolve) => ws.on('close', (code, reason) => resolve([code, reason.toString()])));
  const rejected = (ws: WebSocket) =>
    new Promise<number>((resolve) => {
      ws.on('error', () => undefined);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    });

  it('closes a socket that sends page views faster than the limit allows (1008)', async () => {
    const socket = await openAdSocket(app, await logIn(app));
    open.push(socket.ws);
    const done = closed(socket.ws);
    for (let i = 0; i < 30; i++) socket.ws.send(JSON.stringify({ type: 'page', page: `p${i}` }));
    expect(await done).toEqual([1008, 'too many page views']);
  });

  it('closes a socket that sends a frame too large (1009), and logs it as the client’s mistake: one warning, no stack trace', async () => {
    const socket = await openAdSocket(app, await logIn(app));
    open.push(socket.ws);
    const done = closed(socket.ws);
    const before = log.lines.length;
    socket.ws.send(JSON.stringify({ type: 'page', page: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect((await done)[0]).toBe(1009);
    await eventually(async () => log.lines.length > before, 2_000, 'a log line about the frame');
    const lines = log.lines.slice(before);
    expect(lines).toEqual([expect.objectContaining({ level: 40, code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', reason: 'Max payload size exceeded' })]);
    expect(JSON.stringify(lines)).not.toMatch(/stack|"err"/);
  });

  it.each([
    ['another site’s page', 'https://evil.example'],
    ['a sandboxed page or a file (Origin: null)', 'null'],
  ])('refuses a socket opened from %s (403)', async (_, origin) => {
    const ws = new WebSocket(url(), { headers: { cookie: await logIn(app), origin } });
    open.push(ws);
    expect(await rejected(ws)).toBe(403);
  });

  it('accepts one opened from its own page', async () => {
    const socket = await openAdSocket(app, await logIn(app), { origin: `http://127.0.0.1:${port()}` });
    open.push(socket.ws);
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses more than a few sockets for one customer (429)', async () => {
    const cookie = await logIn(app, 'ben@example.com');
    for (let i = 0; i < 8; i++) open.push((await openAdSocket(app, cookie)).ws);
    const ninth = new WebSocket(url(), { headers: { cookie } });
    open.push(ninth);
    expect(await rejected(ninth)).toBe(429);
  });

  it('closes the socket when its session expires', async () => {
    const soon = sessionCookieValue({ id: 'a-session-id', customerId: 'c-0004', expiresAt: Date.now() + 300 });
    const cookie = `ad_race_session=${encodeURIComponent(app.signCookie(soon))}`;
    const socket = await openAdSocket(app, cookie);
    open.push(socket.ws);
    const done = closed(socket.ws);
    await sleep(400);
    socket.ws.send(JSON.stringify({ type: 'page', page: 'home' }));
    expect(await done).toEqual([1008, 'the session has ended: log in again']);
  });

  it('closes the sockets of a session that logs out, and no others', async () => {
    const cookie = await logIn(app, 'chloe@example.com');
    const loggingOut = await openAdSocket(app, cookie);
    const otherDevice = await openAdSocket(app, await logIn(app, 'chloe@example.com'));
    open.push(loggingOut.ws, otherDevice.ws);
    const done = closed(loggingOut.ws);
    await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(await done).toEqual([1008, 'logged out']);
    expect(otherDevice.ws.readyState).toBe(WebSocket.OPEN);
  });
});
