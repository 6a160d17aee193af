import { readConfig } from '@ad-race/service-runtime';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadService } from '@ad-race/service-testing';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { composeFile, dockerfile, interpolateDefaults, OVERLAYS, renderOverlay, SERVICES, STACK_SETTINGS, withKubectl, workloadOf, type Yaml } from './files';

// What the deployment files say must be what the services are: every
// variable they set is one the service's configuration accepts, every probe
// is a route the service serves, every port is the one it listens on.

const CONTAINER_PORT = 3000;

async function build(name: string): Promise<FastifyInstance> {
  const env = { AMQP_URL: 'amqp://127.0.0.1:1', BUS_NAMESPACE: 'offline', SESSION_SECRET: 'x'.repeat(32) };
  const { Config, buildApp } = await loadService(name);
  return buildApp({ config: readConfig(Config, env) as never, logger: pino({ level: 'silent' }) });
}

/** The status a route of the service answers with no broker to talk to: 404 if it is no route at all. */
async function statusOf(name: string, path: string): Promise<number> {
  const app = await build(name);
  try {
    return (await app.inject({ method: 'GET', url: path })).statusCode;
  } finally {
    await app.close();
  }
}

// Readiness depends on the broker (503 without it); liveness must not, or a broker outage restarts every pod.
const READY_WITHOUT_BROKER = 503;
const LIVE = 200;

async function expectAccepted(name: string, env: Record<string, string>, where: string): Promise<void> {
  const { Config } = await loadService(name);
  const unknown = Object.keys(env).filter((key) => !(key in Config.properties));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  expect(() => readConfig(Config, env)).not.toThrow();
  // Run as `npm start` runs it: what the list sets for the stack, it sets too.
  expect({ where, settings: pick(env, Object.keys(STACK_SETTINGS[name]!)) }).toEqual({ where, settings: STACK_SETTINGS[name] });
}

const pick = (env: Record<string, string>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, env[k]]));

describe('the one list of services', () => {
  it('names every service folder, each a project tagged as a service, with the uniform app module', async () => {
    const folders = readdirSync(join(__dirname, '../../services'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect([...SERVICES].sort()).toEqual(folders.sort());
    for (const name of SERVICES) {
      const project = JSON.parse(readFileSync(join(__dirname, '../../services', name, 'project.json'), 'utf8'));
      expect([name, project.name, project.tags]).toEqual([name, name, ['type:service', 'platform:node']]);
      const service = await loadService(name);
      expect([name, typeof service.buildApp, service.Config.type]).toEqual([name, 'function', 'object']);
    }
  });
});

describe('docker-compose.yml and the Dockerfile agree with the services', () => {
  const compose = interpolateDefaults(composeFile());

  it.each(SERVICES)('sets only variables %s accepts, with values it accepts', async (name) => {
    await expectAccepted(name, compose.services[name].environment, `compose ${name}`);
  });

  it.each(SERVICES)('publishes %s on the port it listens on', async (name) => {
    // The image's ENV, then compose's environment over it, as the container sees them.
    const env = { PORT: /^ENV .*PORT=(\d+)/m.exec(dockerfile())?.[1], ...compose.services[name].environment };
    expect(readConfig((await loadService(name)).Config, env).PORT).toBe(CONTAINER_PORT);
    expect(compose.services[name].ports.map((p: string) => Number(p.split(':').pop()))).toEqual([CONTAINER_PORT]);
    expect(dockerfile()).toMatch(new RegExp(`^EXPOSE ${CONTAINER_PORT}$`, 'm'));
  });

  it.each(SERVICES)('health-checks %s on a route it serves', async (name) => {
    const path = /HEALTHCHECK[\s\S]*?(\/health\/\w+)/.exec(dockerfile())?.[1];
    expect(path).toBe('/health/ready');
    expect(await statusOf(name, path!)).toBe(READY_WITHOUT_BROKER);
    expect(await statusOf(name, '/health/nothing')).toBe(404);
  });
});

withKubectl().each(OVERLAYS)('the Kubernetes overlay %s agrees with the services', (overlay) => {
  const objects = renderOverlay(overlay);
  const workload = (name: string) => workloadOf(objects, name)!;

  /** The container's environment, with a stand-in value for what comes from a Secret or the pod. */
  function envOf(name: string): Record<string, string> {
    const container = workload(name).spec.template.spec.containers[0];
    const samples: Record<string, string> = { AMQP_URL: 'amqp://ad-race:secret@rabbitmq:5672', SESSION_SECRET: 'x'.repeat(40), INSTANCE_ID: `${name}-7d9f8-abcde` };
    return Object.fromEntries(container.env.map((e: Yaml) => [e.name, e.value ?? samples[e.name] ?? 'from-a-secret']));
  }

  it.each(SERVICES)('sets only variables %s accepts, with values it accepts', async (name) => {
    await expectAccepted(name, envOf(name), `${overlay} ${name}`);
  });

  it.each(SERVICES)('points the probes of %s at routes it serves, on the port it listens on', async (name) => {
    const container = workload(name).spec.template.spec.containers[0];
    const named = Object.fromEntries(container.ports.map((p: Yaml) => [p.name, p.containerPort]));
    expect(readConfig((await loadService(name)).Config, envOf(name)).PORT).toBe(CONTAINER_PORT);
    expect(Object.values(named)).toEqual([CONTAINER_PORT]);
    for (const [probe, status] of [
      [container.readinessProbe, READY_WITHOUT_BROKER],
      [container.livenessProbe, LIVE],
    ]) {
      expect(named[probe.httpGet.port] ?? probe.httpGet.port).toBe(CONTAINER_PORT);
      expect([probe.httpGet.path, await statusOf(name, probe.httpGet.path)]).toEqual([probe.httpGet.path, status]);
    }
    const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === name)!;
    expect(named[service.spec.ports[0].targetPort]).toBe(CONTAINER_PORT);
  });
});
