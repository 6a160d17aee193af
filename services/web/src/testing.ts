import { serverMessageValidator, type ServerMessage } from '@ad-race/contracts';
import { readConfig, type Logger } from '@ad-race/service-runtime';
import { waitUntilReady } from '@ad-race/service-testing';
import { Collector } from '@ad-race/testing';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket from 'ws';
import { buildApp, WebConfig } from './app';

// Helpers for tests that drive the web server in-process: start it, log in, open the ad socket.

/**
 * Builds the web server and listens on a free port of 127.0.0.1, connected to
 * the broker; it logs nothing unless given a logger (or TEST_LOG_LEVEL).
 */
export async function startWeb(env: Record<string, string>, logger: Logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' })): Promise<FastifyInstance> {
  // Tests send page views and log in faster than a person: the limits are raised unless a test sets them.
  const config = readConfig(WebConfig, {
    SESSION_SECRET: 'a test secret that is long enough!',
    WEB_ROOT: 'dist/web',
    PAGE_VIEWS_PER_SECOND: '1000',
    LOGINS_PER_MINUTE: '100000',
    ...env,
  });
  const app = await buildApp({ config, logger });
  await app.listen({ port: 0, host: '127.0.0.1' });
  await waitUntilReady(app);
  return app;
}

/** A logger that keeps every line it logs, parsed, for a test to read. */
export function keptLogLines(level = 'info'): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** Logs in and returns the session cookie to send back. */
export async function logIn(app: FastifyInstance, email = 'anna@example.com', password = 'rent-a-car'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'ad_race_session');
  if (!cookie) throw new Error('login set no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

export interface AdSocket {
  ws: WebSocket;
  messages: Collector<ServerMessage>;
  /** Sends a page view and waits for the ad for that page. */
  view(page: string): Promise<Extract<ServerMessage, { type: 'ad' }>>;
  /**
   * Waits for the race summary of a need that lists at least `replies` replies
   * (a summary is sent again for each reply that arrives after the race closed).
   */
  raceOf(needId: string, replies?: number): Promise<Extract<ServerMessage, { type: 'race' }>>;
}

/**
 * Opens the customer's ad socket over a real connection to a listening app;
 * every message the server sends is checked against the contract.
 */
export async function openAdSocket(app: FastifyInstance, cookie: string, headers: Record<string, string> = {}): Promise<AdSocket> {
  const messages = new Collector<ServerMessage>();
  const { port } = app.server.address() as AddressInfo;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers: { cookie, ...headers } });
  // Listening from the start: the server may send at once (the ad for the login).
  ws.on('message', (data) => {
    const message: unknown = JSON.parse(data.toString());
    if (!serverMessageValidator.Check(message)) throw new Error(`the server broke the socket contract: ${data.toString()}`);
    messages.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    async view(page) {
      const before = messages.items.length;
      ws.send(JSON.stringify({ type: 'page', page }));
      const ad = await messages.waitUntil((m) => m.type === 'ad' && m.page === page, { from: before });
      return ad as Extract<ServerMessage, { type: 'ad' }>;
    },
    async raceOf(needId, replies = 1) {
      const race = await messages.waitUntil((m) => m.type === 'race' && m.needId === needId && m.replies.length >= replies);
      return race as Extract<ServerMessage, { type: 'race' }>;
    },
  };
}

/** Logs a customer in, opens their ad socket, and waits for the ad their login asked for. */
export async function openCustomerSocket(app: FastifyInstance, email = 'anna@example.com'): Promise<AdSocket> {
  const socket = await openAdSocket(app, await logIn(app, email));
  await socket.messages.waitUntil((m) => m.type === 'ad' && m.page === 'login');
  return socket;
}
