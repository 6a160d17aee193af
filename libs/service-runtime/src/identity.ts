import { hostname } from 'node:os';

/** Who a running process is: its service, the version it runs, and this instance. */
export interface ServiceIdentity {
  service: string;
  version: string;
  instance: string;
}

export function identify(service: string, version: string, instanceId?: string): ServiceIdentity {
  return { service, version, instance: instanceId ?? `${service}-${version}-${hostname()}-${process.pid}` };
}
