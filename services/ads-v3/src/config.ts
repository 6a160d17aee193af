import { BaseConfig } from '@ad-race/service-runtime';
import { Type, type Static } from '@sinclair/typebox';

export const AdsConfig = Type.Object({
  ...BaseConfig,
  PORT: Type.Integer({ default: 3004, minimum: 0, maximum: 65535 }),
  /** The version this process answers as; replicas of one version share one queue. */
  SERVICE_VERSION: Type.String({ default: 'v3', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' }),
  /** In shadow, answers are timed and compared but never shown. */
  SHADOW: Type.Boolean({ default: false }),
  /**
   * The version of the messages this version reads and writes: v1 (needs from
   * the web server, as version 1 does), or v2 (the richer needs the schema
   * adapter makes, answered with up to three ranked offers). Switching is a
   * restart of this service alone.
   */
  MESSAGES: Type.Union([Type.Literal('v1'), Type.Literal('v2')], { default: 'v1' }),
});
export type AdsConfig = Static<typeof AdsConfig>;
