import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confFiles, mountedFile, prodHeaderSecret, rabbitmqConf, renderOverlay, SERVICES, withKubectl, workloadOf, type Yaml } from './files';

// RabbitMQ on Kubernetes: one node in the dev overlay, a cluster of three in
// the prod overlay (k8s/overlays/prod/rabbitmq-cluster*.yaml), whose nodes find
// each other with the Kubernetes peer discovery plugin, and whose queues that
// must outlive a node are quorum queues. What a running cluster does with this
// is RabbitMQ's; here, that the manifests give it what its documentation asks.

/** The setting that makes every service declare its lasting queues (the dead letters, the monitor's) as quorum queues. */
const QUORUM_QUEUES = { name: 'DURABLE_QUEUE_TYPE', value: 'quorum' };

const ENABLED_PLUGINS = '/etc/rabbitmq/enabled_plugins';

/** The RabbitMQ StatefulSet of a rendered overlay, and what its broker container reads. */
function rabbitmqOf(objects: Yaml[]) {
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const statefulSet = workloadOf(objects, 'rabbitmq')!;
  const pod = statefulSet.spec.template.spec;
  const broker = (pod.containers as Yaml[]).find((c) => c.name === 'rabbitmq')!;
  /** The file a container finds at a path, from a ConfigMap volume (undefined for anything else). */
  const mounted = (container: Yaml, path: string): string | undefined => mountedFile(objects, pod, container, path);
  /** What the broker's conf.d files set, read in the order RabbitMQ reads them: a later file's setting wins. */
  const settings = (): Record<string, string> =>
    Object.assign({}, ...confFiles(objects, pod, broker).map((conf) => rabbitmqConf(conf ?? '')));
  const env = (name: string): Yaml | undefined => (broker.env as Yaml[]).find((e) => e.name === name);
  return { find, statefulSet, pod, broker, mounted, settings, env };
}

/** The plugins an enabled_plugins file names (an Erlang list: `[a,b,c].`). */
function pluginsOf(file: string): string[] {
  const list = /^\s*\[([\s\S]*)\]\.\s*$/.exec(file)?.[1];
  expect(list).toBeDefined();
  return list!.split(',').map((p) => p.trim()).filter(Boolean);
}

withKubectl()('the Kubernetes overlay dev: RabbitMQ as one node', () => {
  const objects = renderOverlay('dev');
  const { statefulSet, settings } = rabbitmqOf(objects);

  it('runs a single node, with no peers to discover', () => {
    expect(statefulSet.spec.replicas).toBe(1);
    expect(settings()['cluster_formation.peer_discovery_backend']).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'ServiceAccount' || o.kind === 'Role')).toEqual([]);
  });
});

withKubectl()('the Kubernetes overlay prod: RabbitMQ as a cluster of three nodes', () => {
  const objects = renderOverlay('prod');
  const { find, statefulSet, pod, broker, mounted, settings, env } = rabbitmqOf(objects);
  const labels = statefulSet.spec.template.metadata.labels;

  it('runs three nodes, started all at once, never two on one machine, and lets a disruption take only one', () => {
    expect(statefulSet.spec.replicas).toBe(3);
    expect(statefulSet.spec.podManagementPolicy).toBe('Parallel');
    const antiAffinity = pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution as Yaml[] | undefined;
    expect(antiAffinity?.map((term) => term.topologyKey)).toEqual(['kubernetes.io/hostname']);
    expect(labels).toMatchObject(antiAffinity![0]!.labelSelector.matchLabels);
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget' && Object.entries(o.spec.selector.matchLabels).every(([k, v]) => labels[k] === v));
    expect(budgets.map((b) => b.spec)).toEqual([{ maxUnavailable: 1, selector: expect.anything() }]);
  });

  it('has a node find its peers through the Kubernetes API: the k8s peer discovery plugin, enabled before the node first starts', () => {
    const conf = settings();
    expect(conf['cluster_formation.peer_discovery_backend']).toMatch(/^(k8s|kubernetes|rabbit_peer_discovery_k8s)$/);
    expect(conf['cluster_formation.k8s.host']).toBe('kubernetes.default.svc.cluster.local');
    expect(conf['cluster_formation.k8s.address_type']).toBe('hostname');
    const plugins = pluginsOf(mounted(broker, ENABLED_PLUGINS) ?? '');
    expect(plugins).toEqual(expect.arrayContaining(['rabbitmq_peer_discovery_k8s', 'rabbitmq_management']));
    // On a network partition, the minority pauses rather than going on with a state of its own.
    expect(conf['cluster_partition_handling']).toBe('pause_minority');
  });

  it('lists the pods of the StatefulSet’s headless Service to it, ready or not', () => {
    const name = settings()['cluster_formation.k8s.service_name'];
    expect(name).toBe(statefulSet.spec.serviceName);
    const headless = find('Service', name!)!;
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(labels).toMatchObject(headless.spec.selector);
  });

  it('names each node after its pod’s DNS name, as peer discovery names the pods it finds', () => {
    expect(env('POD_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    expect(env('POD_NAMESPACE')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.namespace');
    expect(env('RABBITMQ_USE_LONGNAME')?.value).toBe('true');
    // The plugin reads the suffix from the environment before the conf files: it holds the namespace.
    const suffix = env('K8S_HOSTNAME_SUFFIX')?.value ?? settings()['cluster_formation.k8s.hostname_suffix'];
    expect(suffix).toBe(`.${statefulSet.spec.serviceName}.$(POD_NAMESPACE).svc.cluster.local`);
    expect(env('RABBITMQ_NODENAME')?.value).toBe(`rabbit@$(POD_NAME)${suffix}`);
    // Kubernetes expands $(NAME) only for a variable defined before it.
    (broker.env as Yaml[]).forEach((e, i) => {
      const defined = (broker.env as Yaml[]).slice(0, i).map((d) => d.name);
      for (const [, name] of (e.value ?? '').matchAll(/\$\((\w+)\)/g)) expect([e.name, name, defined.includes(name)]).toEqual([e.name, name, true]);
    });
  });

  it('lets it read that Service’s Endpoints (and report Events) as the pods’ own ServiceAccount, and nothing else', () => {
    const account = find('ServiceAccount', pod.serviceAccountName)!;
    expect(account).toBeDefined();
    expect([pod.automountServiceAccountToken, account.automountServiceAccountToken]).not.toContain(false);
    const bindings = objects.filter(
      (o) => o.kind === 'RoleBinding' && (o.subjects as Yaml[]).some((s) => s.kind === 'ServiceAccount' && s.name === account.metadata.name && [undefined, o.metadata.namespace].includes(s.namespace)),
    );
    const rules = bindings.flatMap((b) => {
      expect(b.roleRef).toMatchObject({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role' });
      return find('Role', b.roleRef.name)!.rules as Yaml[];
    });
    const allows = (resource: string, verb: string) => rules.some((r) => r.apiGroups.includes('') && r.resources.includes(resource) && r.verbs.includes(verb));
    expect([allows('endpoints', 'get'), allows('events', 'create')]).toEqual([true, true]);
    expect([...new Set(rules.flatMap((r) => r.resources))].sort()).toEqual(['endpoints', 'events']);
    expect([...new Set(rules.flatMap((r) => r.verbs))].sort()).toEqual(['create', 'get']);
  });

  it('gives every node the same Erlang cookie, from a Secret the overlay’s header makes, owner-only where Erlang reads it', () => {
    expect(env('RABBITMQ_ERLANG_COOKIE')).toBeUndefined();
    const secretVolume = (pod.volumes as Yaml[]).find((v) => v.secret)!;
    const cookie = prodHeaderSecret(secretVolume.secret.secretName);
    const [key, value] = Object.entries(cookie)[0] ?? [];
    expect([Object.keys(cookie).length, value]).toEqual([1, expect.stringMatching(/^[A-Za-z0-9]{32,255}$/)]);
    // An init container copies it into RabbitMQ's home, a volume the broker mounts there too.
    const home = '/var/lib/rabbitmq';
    const init = (pod.initContainers as Yaml[]).find((c) => (c.volumeMounts as Yaml[]).some((m) => m.name === secretVolume.name))!;
    expect(init.image).toBe(broker.image);
    const homeVolume = (init.volumeMounts as Yaml[]).find((m) => m.mountPath === home)?.name;
    expect((pod.volumes as Yaml[]).find((v) => v.name === homeVolume)?.emptyDir).toBeDefined();
    expect(broker.volumeMounts).toContainEqual(expect.objectContaining({ name: homeVolume, mountPath: home }));
    // The data stays on the persistent volume, below it.
    expect(broker.volumeMounts).toContainEqual({ name: 'data', mountPath: `${home}/mnesia` });

    // Run its command with each of its mounts in a directory of ours: the cookie lands, 0600.
    const dir = mkdtempSync(join(tmpdir(), 'erlang-cookie-'));
    try {
      const mounts = [...(init.volumeMounts as Yaml[])].sort((a, b) => b.mountPath.length - a.mountPath.length);
      for (const m of mounts) mkdirSync(join(dir, m.name), { recursive: true });
      const secretMount = mounts.find((m) => m.name === secretVolume.name)!;
      writeFileSync(join(dir, secretMount.name, key!), value!, { mode: 0o440 });
      const args = (init.command as string[]).map((arg) => mounts.reduce((a, m) => a.split(m.mountPath).join(join(dir, m.name)), arg));
      execFileSync(args[0]!, args.slice(1));
      const file = join(dir, homeVolume!, '.erlang.cookie');
      expect([readFileSync(file, 'utf8'), (statSync(file).mode & 0o777).toString(8)]).toEqual([value, '600']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops a node only once every quorum queue keeps its majority without it, within the pod’s grace period', () => {
    const command = (broker.lifecycle?.preStop?.exec?.command ?? []) as string[];
    expect(command.slice(0, 1).concat(command.slice(-1))).toEqual(['rabbitmq-upgrade', 'await_online_quorum_plus_one']);
    const timeout = Number(command[command.indexOf('-t') + 1]);
    expect(timeout).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(timeout);
  });

  it('has every service declare the queues that must outlive a node as quorum queues, replicated on every node', () => {
    for (const name of SERVICES) {
      const container = workloadOf(objects, name)!.spec.template.spec.containers[0];
      expect([name, (container.env as Yaml[]).filter((e) => e.name === QUORUM_QUEUES.name)]).toEqual([name, [QUORUM_QUEUES]]);
    }
    // One declared before all nodes had joined gets its missing replicas when they have.
    const conf = settings();
    expect(conf['quorum_queue.continuous_membership_reconciliation.enabled']).toBe('true');
    expect(conf['quorum_queue.continuous_membership_reconciliation.target_group_size']).toBe(String(statefulSet.spec.replicas));
  });

  it('is reached by the services through the Service rabbitmq, over every node', () => {
    // Their AMQP_URL names it (broker.spec.ts); a client of a node that goes reconnects through it to another.
    const service = find('Service', 'rabbitmq')!;
    expect(service.spec.clusterIP).toBeUndefined();
    expect(labels).toMatchObject(service.spec.selector);
    const amqp = (service.spec.ports as Yaml[]).find((p) => p.port === 5672)!;
    expect((broker.ports as Yaml[]).find((p) => p.name === amqp.targetPort)?.containerPort).toBe(5672);
  });
});
