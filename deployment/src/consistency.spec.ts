import * as adsV1 from '@ad-race/ads-v1';
import * as adsV2 from '@ad-race/ads-v2';
import { readConfig } from '@ad-race/service-runtime';
import * as web from '@ad-race/web';
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { composeFile, dockerfile, interpolateDefaults, OVERLAYS, renderOverlay, SERVICES, withKubectl, type ServiceName, type Yaml } from './files';

// What the deployment files say must be what the services are: every
// variable they set is one the service's configuration accepts, every probe
// is a route the service serves, every port is the one it listens on.

const SCHEMAS: Record<ServiceName, TObject> = { web: web.WebConfig, 'ads-v1': adsV1.AdsConfig, 'ads-v2': adsV2.AdsConfig };
const CONTAINER_PORT = 3000;

async function build(name: ServiceName): Promise<FastifyInstance> {
  const env = { AMQP_URL: 'amqp://127.0.0.1:1', BUS_NAMESPACE: 'offline', SESSION_SECRET: 'x'.repeat(32) };
  const logger = pino({ level: 'silent' });
  if (name === 'web') return web.buildApp({ config: readConfig(web.WebConfig, env), logger });
  const ads = name === 'ads-v1' ? adsV1 : adsV2;
  return ads.buildApp({ config: readConfig(ads.AdsConfig, env), logger });
}

/** The status a route of the service answers with no broker to talk to: 404 if it is no route at all. */
async function statusOf(name: ServiceName, path: string): Promise<number> {
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

function expectAccepted(name: ServiceName, env: Record<string, string>, where: string): void {
  const schema = SCHEMAS[name];
  const unknown = Object.keys(env).filter((key) => !(key in schema.properties));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  expect(() => readConfig(schema, env)).not.toThrow();
}

describe('docker-compose.yml and the Dockerfile agree with the services', () => {
  const compose = interpolateDefaults(composeFile());

  it.each(SERVICES)('sets only variables %s accepts, with values it accepts', (name) => {
    expectAccepted(name, compose.services[name].environment, `compose ${name}`);
  });

  it.each(SERVICES)('publishes %s on the port it listens on', (name) => {
    // The image's ENV, then compose's environment over it, as the container sees them.
    const env = { PORT: /^ENV .*PORT=(\d+)/m.exec(dockerfile())?.[1], ...compose.services[name].environment };
    expect(readConfig(SCHEMAS[name], env).PORT).toBe(CONTAINER_PORT);
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
  const deployment = (name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;

  /** The container's environment, with a stand-in value for what comes from a Secret or the pod. */
  function envOf(name: ServiceName): Record<string, string> {
    const container = deployment(name).spec.template.spec.containers[0];
    const samples: Record<string, string> = { AMQP_URL: 'amqp://ad-race:secret@rabbitmq:5672', SESSION_SECRET: 'x'.repeat(40), INSTANCE_ID: `${name}-7d9f8-abcde` };
    return Object.fromEntries(container.env.map((e: Yaml) => [e.name, e.value ?? samples[e.name] ?? 'from-a-secret']));
  }

  it.each(SERVICES)('sets only variables %s accepts, with values it accepts', (name) => {
    expectAccepted(name, envOf(name), `${overlay} ${name}`);
  });

  it.each(SERVICES)('points the probes of %s at routes it serves, on the port it listens on', async (name) => {
    const container = deployment(name).spec.template.spec.containers[0];
    const named = Object.fromEntries(container.ports.map((p: Yaml) => [p.name, p.containerPort]));
    expect(readConfig(SCHEMAS[name], envOf(name)).PORT).toBe(CONTAINER_PORT);
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
