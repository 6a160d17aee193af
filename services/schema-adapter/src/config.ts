import { BaseConfig } from '@ad-race/service-runtime';
import { Type, type Static } from '@sinclair/typebox';

export const AdapterConfig = Type.Object({
  ...BaseConfig,
  PORT: Type.Integer({ default: 3003, minimum: 0, maximum: 65535 }),
  /** The version of the adapter itself, as its logs and metrics name it. */
  SERVICE_VERSION: Type.String({ default: '1.0.0', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' }),
});
export type AdapterConfig = Static<typeof AdapterConfig>;
