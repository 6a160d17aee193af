import { readConfig, type Logger } from '@ad-race/service-runtime';
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { BusAccess } from '@ad-race/contracts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { waitUntilReady } from './listener';
import { workspaceRoot } from './workspace';

/** An entry of the one list of services (services/services.json). */
export interface ListedService {
  name: string;
  summary: string;
  /** The settings `npm start` runs it with; compose and Kubernetes must agree. */
  stack?: Record<string, string>;
  /** What it does on the bus: what its broker user may do (broker/definitions.json). */
  bus: BusAccess;
}

/** Every service's app module has this shape: its configuration's schema, and an app to build from it. */
export interface ServiceModule {
  Config: TObject;
  buildApp(deps: { config: never; logger?: Logger }): Promise<FastifyInstance>;
}

/** The one list of services, in its order. */
export function listedServices(): ListedService[] {
  return JSON.parse(readFileSync(join(workspaceRoot(), 'services/services.json'), 'utf8')).services;
}

/**
 * A service's app module, by its name in the list (`@ad-race/<name>`): the
 * tests that run every service load them from the list rather than naming
 * each one, so a service added to the list is in them at once.
 */
export async function loadService(name: string): Promise<ServiceModule> {
  if (!listedServices().some((s) => s.name === name)) throw new Error(`no service "${name}" in services/services.json`);
  return (await import(`@ad-race/${name}`)) as ServiceModule;
}

/**
 * Builds a service in-process from its environment, connected to the broker, and waits until it is ready.
 * A service that keeps data (the monitor) gets a fresh temporary directory unless the environment names one.
 */
export async function startService(name: string, env: Record<string, string>): Promise<FastifyInstance> {
  const { Config, buildApp } = await loadService(name);
  const dataDir = 'DATA_DIR' in Config.properties && env['DATA_DIR'] === undefined ? { DATA_DIR: mkdtempSync(join(tmpdir(), `${name}-`)) } : {};
  const app = await buildApp({ config: readConfig(Config, { ...dataDir, ...env }) as never, logger: pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' }) });
  await app.ready();
  await waitUntilReady(app);
  return app;
}
