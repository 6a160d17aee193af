import { hostname } from 'node:os';

/** Who a running process is: its service, the version it runs, and this instance. */
export interface ServiceIdentity {
  service: string;
  version: string;
  instance: string;
}

/**
 * This process's identity. Unless INSTANCE_ID names it, the instance is its
 * host, its pid and when it started: a container restarted keeps its hostname
 * and pid 1, and is still another instance.
 */
export function identify(service: string, version: string, instanceId?: string, startedAt = Date.now()): ServiceIdentity {
  return { service, version, instance: instanceId ?? `${service}-${version}-${hostname()}-${process.pid}-${startedAt.toString(36)}` };
}
