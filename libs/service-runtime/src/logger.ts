import pino, { type Logger } from 'pino';
import type { ServiceIdentity } from './identity';

export type { Logger };

/** Structured JSON logs on stdout, every line naming the service, version and instance. */
export function createLogger(identity: ServiceIdentity, level: string): Logger {
  return pino({ level, base: { ...identity }, timestamp: pino.stdTimeFunctions.isoTime });
}
