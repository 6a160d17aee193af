import { posix } from 'node:path';
import { definitionsTemplate, passwordVariable } from './broker-definitions';
import {
  composeFile,
  confFiles,
  definitionPlaceholders,
  interpolateDefaults,
  loadDefinitionsOf,
  mountedFile,
  OVERLAYS,
  prodHeaderSecret,
  renderBrokerUsers,
  renderOverlay,
  repoFile,
  secretData,
  SERVICES,
  withKubectl,
  workloadOf,
  type RenderedBrokerUser,
  type Yaml,
} from './files';

// Least privilege on the broker, where it is deployed: a user per service,
// created from broker/definitions.json as the broker starts, with passwords
// from the environment (compose) or a Secret (Kubernetes), and every service
// logging in as its own user. The permissions themselves are proven on a
// broker by integration/src/broker-permissions.spec.ts.

/**
 * Each service's AMQP_URL logs in at the broker as the user named after it: a
 * user the rendered definitions hold, with that password, without tags (not the
 * administrator).
 */
function expectOwnUsers(where: string, urls: Record<string, string>, users: RenderedBrokerUser[]): void {
  expect(users.filter((u) => u.tags.includes('administrator'))).toHaveLength(1);
  for (const service of SERVICES) {
    const url = new URL(urls[service]!);
    const user = users.find((u) => u.name === decodeURIComponent(url.username));
    expect({ where, service, url: `${url.protocol}//${url.host}`, user: user?.name, password: user && user.password === decodeURIComponent(url.password), tags: user?.tags }).toEqual({
      where,
      service,
      url: 'amqp://rabbitmq:5672',
      user: service,
      password: true,
      tags: [],
    });
  }
}

describe('the broker’s users', () => {
  it('are what the list of services says: broker/definitions.json is what `npm run generate:broker` makes', () => {
    expect(repoFile('broker/definitions.json')).toBe(definitionsTemplate());
  });

  it('have their passwords as placeholders: the administrator’s, and one for every service', () => {
    expect(definitionPlaceholders()).toEqual(['RABBITMQ_PASSWORD', 'RABBITMQ_USER', ...SERVICES.map(passwordVariable)].sort());
  });

  it('are rendered only with every password set, to characters a URL needs no escaping for', () => {
    const env = Object.fromEntries(definitionPlaceholders().map((name) => [name, `${name.toLowerCase()}-0.~_`]));
    const users = renderBrokerUsers(env);
    expect(users.map((u) => [u.name, u.password])).toContainEqual(['web', 'web_broker_password-0.~_']);
    const { WEB_BROKER_PASSWORD: _, ...missing } = env;
    expect(() => renderBrokerUsers(missing)).toThrow(/WEB_BROKER_PASSWORD is not set/);
    expect(() => renderBrokerUsers({ ...env, WEB_BROKER_PASSWORD: 'a/b@c' })).toThrow(/WEB_BROKER_PASSWORD may hold only/);
  });
});

describe('docker-compose.yml: a broker user per service', () => {
  const compose = composeFile();
  const render = compose.services['broker-users'];
  const rabbitmq = compose.services.rabbitmq;

  it('renders the users once, before the broker starts, with the broker’s image, onto a volume the broker reads', () => {
    expect(render.image).toBe(rabbitmq.image);
    expect(render.restart).toBe('no');
    expect(render.entrypoint).toEqual(['/bin/sh', '/broker/render-definitions.sh', '/broker/definitions.json', '/etc/ad-race/definitions.json']);
    expect(render.volumes).toContain('./broker:/broker:ro');
    expect(rabbitmq.depends_on).toEqual({ 'broker-users': { condition: 'service_completed_successfully' } });
    const output = posix.dirname(render.entrypoint.at(-1));
    const volume = (render.volumes as string[]).find((v) => v.endsWith(`:${output}`))?.split(':')[0];
    expect([volume, volume !== undefined && volume in (compose.volumes ?? {})]).toEqual([volume, true]);
    expect(rabbitmq.volumes).toContain(`${volume}:${output}:ro`);
  });

  it('has the broker load them as it starts: broker/rabbitmq.conf, in its conf.d, names the rendered file', () => {
    expect(rabbitmq.volumes).toContainEqual(expect.stringMatching(/^\.\/broker\/rabbitmq\.conf:\/etc\/rabbitmq\/conf\.d\/[\w-]+\.conf:ro$/));
    expect(loadDefinitionsOf(repoFile('broker/rabbitmq.conf'))).toBe(render.entrypoint.at(-1));
  });

  it('gives the render step every @NAME@ of the template, each with a default', () => {
    expect(Object.keys(render.environment).sort()).toEqual(definitionPlaceholders());
    // The administrator is the one the broker would make by itself.
    expect([render.environment.RABBITMQ_USER, render.environment.RABBITMQ_PASSWORD]).toEqual([rabbitmq.environment.RABBITMQ_DEFAULT_USER, rabbitmq.environment.RABBITMQ_DEFAULT_PASS]);
  });

  it('runs every service as the broker user named after it, never as the administrator', () => {
    // The password in a service's URL is the variable, with the default, that the render step is given.
    for (const name of SERVICES) {
      expect([name, compose.services[name].environment.AMQP_URL]).toEqual([name, `amqp://${name}:${render.environment[passwordVariable(name)]}@rabbitmq:5672`]);
    }
    const resolved = interpolateDefaults(compose);
    const urls = Object.fromEntries(SERVICES.map((name) => [name, resolved.services[name].environment.AMQP_URL]));
    expectOwnUsers('compose', urls, renderBrokerUsers(resolved.services['broker-users'].environment));
  });
});

withKubectl().each(OVERLAYS)('the Kubernetes overlay %s: a broker user per service', (overlay) => {
  const objects = renderOverlay(overlay);
  const pod = workloadOf(objects, 'rabbitmq')!.spec.template.spec;
  const broker = pod.containers[0];
  const render = ((pod.initContainers ?? []) as Yaml[]).find((c) => /render-definitions\.sh$/.test(c.command?.[1] ?? ''))!;
  const volumeAt = (container: Yaml, path: string): Yaml | undefined => {
    const mount = (container.volumeMounts as Yaml[]).find((m) => m.mountPath === path);
    return (pod.volumes as Yaml[]).find((v) => v.name === mount?.name);
  };
  const secret = (): Record<string, string> =>
    overlay === 'prod' ? prodHeaderSecret('ad-race-broker') : secretData(objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('ad-race-broker'))!);

  it('renders the users in an init container, with the broker’s image, from broker/ in a ConfigMap', () => {
    expect(render).toBeDefined();
    expect(render.image).toBe(broker.image);
    const [shell, script, template] = render.command;
    expect(shell).toBe('/bin/sh');
    expect(posix.dirname(template)).toBe(posix.dirname(script));
    expect(mountedFile(objects, pod, render, script)).toBe(repoFile('broker/render-definitions.sh'));
    expect(mountedFile(objects, pod, render, template)).toBe(repoFile('broker/definitions.json'));
  });

  it('has the broker load them as it starts, from a volume of the pod’s own (never a ConfigMap: they hold the passwords)', () => {
    const output = render.command[3];
    const renderedTo = volumeAt(render, posix.dirname(output))!;
    expect(renderedTo.emptyDir).toBeDefined();
    const loaded = confFiles(objects, pod, broker)
      .map((conf) => loadDefinitionsOf(conf ?? ''))
      .filter(Boolean) as string[];
    expect(loaded).toHaveLength(1);
    const readFrom = (broker.volumeMounts as Yaml[]).find((m) => m.mountPath === posix.dirname(loaded[0]!));
    expect([readFrom?.name, readFrom?.readOnly, posix.basename(loaded[0]!)]).toEqual([renderedTo.name, true, posix.basename(output)]);
  });

  it('gives the init container every @NAME@ of the template, from the Secret ad-race-broker', () => {
    expect((render.env as Yaml[]).map((e) => e.name).sort()).toEqual(definitionPlaceholders());
    for (const e of render.env as Yaml[]) expect([e.name, e.valueFrom?.secretKeyRef?.name]).toEqual([e.name, expect.stringMatching(/^ad-race-broker/)]);
  });

  it(`runs every service as the broker user named after it, never as the administrator (the Secret ${overlay === 'dev' ? 'it generates' : 'its header makes'})`, () => {
    const data = secret();
    // Every key of ad-race-broker that a container refers to is in it.
    const refs = objects
      .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')
      .flatMap((w) => [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers])
      .flatMap((c: Yaml) => (c.env ?? []).map((e: Yaml) => e.valueFrom?.secretKeyRef))
      .filter((ref: Yaml | undefined) => ref?.name.startsWith('ad-race-broker'));
    for (const ref of refs) expect([ref.key, ref.key in data]).toEqual([ref.key, true]);
    const value = (ref: Yaml): string => data[ref.key]!;
    const env = Object.fromEntries((render.env as Yaml[]).map((e) => [e.name, value(e.valueFrom.secretKeyRef)]));
    const urls = Object.fromEntries(
      SERVICES.map((name) => [name, value(workloadOf(objects, name)!.spec.template.spec.containers[0].env.find((e: Yaml) => e.name === 'AMQP_URL').valueFrom.secretKeyRef)]),
    );
    expectOwnUsers(overlay, urls, renderBrokerUsers(env));
  });
});
