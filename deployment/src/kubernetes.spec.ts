import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { AD_SERVICES, OVERLAYS, prodHeaderSecretNames, renderOverlay, SERVICES, withKubectl, workloadOf, type Yaml } from './files';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

/**
 * kustomize writes a generated Secret's longer values (an AMQP_URL) as base64 in lines of 70; the API
 * server's base64 decoder skips the line breaks, the schema's "byte" format does not: join the lines.
 */
function withoutLineBreaks(object: Yaml): Yaml {
  if (object.kind !== 'Secret' || !object.data) return object;
  return { ...object, data: Object.fromEntries(Object.entries<string>(object.data).map(([k, v]) => [k, v.replace(/\s+/g, '')])) };
}

withKubectl().each(OVERLAYS)('the Kubernetes overlay %s, rendered', (overlay) => {
  const objects = renderOverlay(overlay);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const workloads = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');

  it('holds only objects whose schema is known, and every one validates', () => {
    expect(objects.length).toBeGreaterThanOrEqual(13);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect([object.kind, Model ? 'known' : 'no schema']).toEqual([object.kind, 'known']);
      expect(() => new Model!(withoutLineBreaks(object) as never).validate()).not.toThrow();
    }
  });

  it('the schema check can fail: a port that is not a number does not validate', () => {
    const broken = structuredClone(find('Deployment', 'web')!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(() => new Deployment(broken as never).validate()).toThrow(/containerPort/);
  });

  it('runs RabbitMQ as a StatefulSet with a persistent volume and credentials from a Secret', () => {
    const rabbitmq = find('StatefulSet', 'rabbitmq')!;
    expect(rabbitmq.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toMatch(/Gi$/);
    const env = rabbitmq.spec.template.spec.containers[0].env as Yaml[];
    expect(env.find((e) => e.name === 'RABBITMQ_DEFAULT_PASS')?.valueFrom?.secretKeyRef?.name).toMatch(/^ad-race-broker/);
    // The volume holds the data only: the Erlang cookie beside it must not take the volume's group permissions.
    expect(rabbitmq.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/rabbitmq/mnesia' });
  });

  it('leaves the count of ad service pods to their autoscalers', () => {
    expect(AD_SERVICES).toEqual(expect.arrayContaining(['ads-v1', 'ads-v2', 'ads-v3']));
    for (const name of AD_SERVICES) expect(find('Deployment', name)!.spec.replicas).toBeUndefined();
  });

  it.each(SERVICES)('runs %s as a Deployment (or StatefulSet) and a Service: probes, requests and limits, non-root, read-only root', (name) => {
    const deployment = workloadOf(objects, name)!;
    const service = find('Service', name)!;
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(container.env.find((e: Yaml) => e.name === 'AMQP_URL').valueFrom.secretKeyRef.name).toMatch(/^ad-race-broker/);
  });

  it('runs the monitor as one StatefulSet pod whose database (DATA_DIR) is on a persistent volume its user can write', () => {
    const monitor = find('StatefulSet', 'monitor')!;
    // One process per SQLite file: never more than one replica, in any overlay.
    expect(monitor.spec.replicas).toBe(1);
    expect(find('Deployment', 'monitor')).toBeUndefined();
    const pod = monitor.spec.template.spec;
    const [container] = pod.containers;
    const dataDir = container.env.find((e: Yaml) => e.name === 'DATA_DIR')?.value;
    const mount = container.volumeMounts.find((m: Yaml) => m.mountPath === dataDir);
    expect(mount).toBeDefined();
    const claim = monitor.spec.volumeClaimTemplates.find((c: Yaml) => c.metadata.name === mount.name);
    expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
    expect(claim.spec.resources.requests.storage).toMatch(/Gi$/);
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
    // SQLite's temporary files need somewhere writable beside the read-only root.
    expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  it('runs ads-v3 in shadow', () => {
    const env = find('Deployment', 'ads-v3')!.spec.template.spec.containers[0].env as Yaml[];
    expect(env.filter((e) => e.name === 'SHADOW')).toEqual([{ name: 'SHADOW', value: 'true' }]);
  });

  it.each(AD_SERVICES)('gives %s a PodDisruptionBudget and an autoscaler that find its pods', (name) => {
    const labels = find('Deployment', name)!.spec.template.metadata.labels;
    expect(labels).toMatchObject(find('PodDisruptionBudget', name)!.spec.selector.matchLabels);
    expect(find('HorizontalPodAutoscaler', name)!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
    const version = find('Deployment', name)!.spec.template.spec.containers[0].env.find((e: Yaml) => e.name === 'SERVICE_VERSION').value;
    expect(version).toBe(name.replace('ads-', ''));
  });

  it('has every Service select the pods of exactly one workload, and every Secret referred to exists or is documented', () => {
    for (const service of objects.filter((o) => o.kind === 'Service')) {
      const matches = workloads.filter((w) => Object.entries(service.spec.selector).every(([k, v]) => w.spec.template.metadata.labels[k] === v));
      expect([service.metadata.name, matches.length]).toEqual([service.metadata.name, 1]);
    }
    // From a container's environment, or mounted as a volume.
    const referred = new Set(
      workloads.flatMap((w) => [
        ...[...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers].flatMap((c: Yaml) =>
          (c.env ?? []).map((e: Yaml) => e.valueFrom?.secretKeyRef?.name).filter(Boolean),
        ),
        ...(w.spec.template.spec.volumes ?? []).map((v: Yaml) => v.secret?.secretName).filter(Boolean),
      ]),
    );
    const secrets = objects.filter((o) => o.kind === 'Secret').map((o) => o.metadata.name);
    // Their keys, and that each service logs in as its own broker user: broker.spec.ts.
    if (overlay === 'dev') expect([...referred].sort()).toEqual(secrets.sort());
    else {
      // Created out of band, as its kustomization's header says.
      expect(secrets).toEqual([]);
      expect([...referred].sort()).toEqual(prodHeaderSecretNames().sort());
      expect([...referred]).toEqual(expect.arrayContaining(['ad-race-broker', 'ad-race-web']));
    }
  });
});
