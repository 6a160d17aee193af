import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { listedServices } from '@ad-race/service-testing';
import { load, loadAll } from 'js-yaml';

// Reading the deployment files as a user's tools would.

const ROOT = join(__dirname, '../..');

/** A file of the repository, as text. */
export function repoFile(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

/** A parsed YAML document: read loosely, as the checks look into it field by field. */
export type Yaml = Record<string, any>;

export function composeFile(): Yaml {
  return load(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Yaml;
}

/** Replaces `${NAME:-default}` and `${NAME}` by the default (or ''), as compose does with an empty environment. */
export function interpolateDefaults<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_, _name, fallback) => fallback ?? '')) as T;
}

export function dockerfile(): string {
  return readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
}

function kubectlAvailable(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe`, where kubectl can render the manifests; `describe.skip` where it
 * cannot, so the checks are skipped, not passed. In CI a missing kubectl fails.
 */
export function withKubectl(): jest.Describe {
  if (kubectlAvailable()) return describe;
  if (process.env['CI']) throw new Error('kubectl is missing: CI must render the Kubernetes manifests');
  return describe.skip;
}

/** Renders a kustomize overlay with kubectl's built-in kustomize, offline. */
export function renderOverlay(overlay: string): Yaml[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s/overlays', overlay)], { encoding: 'utf8' });
  return loadAll(yaml).filter(Boolean) as Yaml[];
}

/** A service's workload in a rendered overlay: a Deployment, or a StatefulSet where it keeps data on a volume of its own. */
export function workloadOf(objects: Yaml[], name: string): Yaml | undefined {
  return objects.find((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.name === name);
}

/**
 * The file a container of a pod in a rendered overlay finds at a path, from a
 * ConfigMap volume: one mounted at the path itself (its subPath's key, else the
 * key named as the path's last part), or mounted whole as the path's directory
 * (every key a file). Undefined for anything else.
 */
export function mountedFile(objects: Yaml[], pod: Yaml, container: Yaml, path: string): string | undefined {
  const mounts = container.volumeMounts as Yaml[];
  const mount = mounts.find((m) => m.mountPath === path) ?? mounts.find((m) => m.mountPath === posix.dirname(path) && m.subPath === undefined);
  const volume = (pod.volumes as Yaml[]).find((v) => v.name === mount?.name);
  const configMap = volume?.configMap && objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === volume.configMap.name);
  return configMap?.data?.[mount!.subPath ?? posix.basename(path)];
}

/**
 * The RabbitMQ conf files (/etc/rabbitmq/conf.d/*.conf) a container of a pod
 * finds, each as mountedFile reads it, in the order RabbitMQ reads them (by path).
 */
export function confFiles(objects: Yaml[], pod: Yaml, container: Yaml): (string | undefined)[] {
  return (container.volumeMounts as Yaml[])
    .map((m) => m.mountPath as string)
    .filter((path) => path.startsWith('/etc/rabbitmq/conf.d/') && path.endsWith('.conf'))
    .sort()
    .map((path) => mountedFile(objects, pod, container, path));
}

export const OVERLAYS = ['dev', 'prod'];
/** Every service, from the one list of services (services/services.json). */
export const SERVICES: string[] = listedServices().map((s) => s.name);
/** The versions of the ad service (ads-v1, ads-v2, ...): each made from k8s/base/ad-service. */
export const AD_SERVICES: string[] = SERVICES.filter((name) => /^ads-v\d+$/.test(name));
/** The settings the list says the stack runs each service with: compose and Kubernetes must agree. */
export const STACK_SETTINGS: Record<string, Record<string, string>> = Object.fromEntries(listedServices().map((s) => [s.name, s.stack ?? {}]));

/** A broker user, as the definitions the broker loads hold it (rendered from broker/definitions.json). */
export interface RenderedBrokerUser {
  name: string;
  password: string;
  tags: string[];
}

/** The @NAME@ placeholders of broker/definitions.json: what the render step must be given. */
export function definitionPlaceholders(): string[] {
  return [...new Set(repoFile('broker/definitions.json').match(/@[A-Z0-9_]+@/g) ?? [])].map((p) => p.slice(1, -1)).sort();
}

/**
 * Runs broker/render-definitions.sh on broker/definitions.json with only the
 * variables given (and PATH), as the broker-users container and init container
 * do, and returns the users it rendered. Throws with the script's message when
 * it refuses (a variable unset, or with characters a URL would need escaped).
 */
export function renderBrokerUsers(env: Record<string, string>): RenderedBrokerUser[] {
  const dir = mkdtempSync(join(tmpdir(), 'broker-definitions-'));
  try {
    const output = join(dir, 'definitions.json');
    execFileSync('/bin/sh', [join(ROOT, 'broker/render-definitions.sh'), join(ROOT, 'broker/definitions.json'), output], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return JSON.parse(readFileSync(output, 'utf8')).users;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The settings of a RabbitMQ conf file (new style, rabbitmq.conf: `key = value` lines, `#` comments). */
export function rabbitmqConf(conf: string): Record<string, string> {
  return Object.fromEntries(
    conf
      .split('\n')
      .map((line) => /^\s*([^#\s=][^=]*?)\s*=\s*(.*?)\s*$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
}

/** The value of `load_definitions` in a RabbitMQ conf file. */
export function loadDefinitionsOf(conf: string): string | undefined {
  return rabbitmqConf(conf)['load_definitions'];
}

/** A Secret's data, decoded. */
export function secretData(secret: Yaml): Record<string, string> {
  return Object.fromEntries(Object.entries<string>(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
}

/** The comment lines of the prod overlay's header, without their `#`: how its Secrets are made. */
function prodHeader(): string[] {
  return repoFile('k8s/overlays/prod/kustomization.yaml')
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/^# ?/, ''));
}

/** The Secrets the prod overlay's header says to create, out of band, before applying it. */
export function prodHeaderSecretNames(): string[] {
  return prodHeader().flatMap((line) => /kubectl .*create secret generic ([\w.-]+)/.exec(line)?.[1] ?? []);
}

/**
 * A Secret as the prod overlay's header says to create it: its command (up to
 * the next kubectl), run by kubectl offline (--dry-run=client), openssl stood in for.
 */
export function prodHeaderSecret(name: string): Record<string, string> {
  const lines = prodHeader();
  const create = `create secret generic ${name} `;
  const start = lines.findIndex((line) => /kubectl /.test(line) && line.includes(create));
  if (start < 0) throw new Error(`the prod overlay's header creates no Secret ${name}`);
  const next = lines.findIndex((line, i) => i > start && /^\s*kubectl /.test(line));
  const command = lines
    .slice(start, next < 0 ? undefined : next)
    .join('\n')
    .replace(create, `${create}--dry-run=client -o json `);
  const script = `set -eo pipefail\nopenssl() { od -An -N24 -tx1 /dev/urandom | tr -d ' \\n'; }\n${command}`;
  return secretData(JSON.parse(execFileSync('bash', ['-c', script], { encoding: 'utf8' })));
}
