import { BaseConfig } from '@ad-race/service-runtime';
import { Type, type Static } from '@sinclair/typebox';

export const WebConfig = Type.Object({
  ...BaseConfig,
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  /** The version of the web server itself, as its logs and metrics name it. */
  SERVICE_VERSION: Type.String({ default: '1.0.0', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$' }),
  /** A valid answer must arrive within this many milliseconds of the need, or the house ad is shown. */
  AD_DEADLINE_MS: Type.Integer({ default: 250, minimum: 10, maximum: 10_000 }),
  /** Signs session cookies. Several web instances behind one address must share it. A random one if unset. */
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** Send the session cookie over HTTPS only (set it behind TLS). */
  COOKIE_SECURE: Type.Boolean({ default: false }),
  /** Login attempts one client address may make a minute; more get 429 with Retry-After. */
  LOGINS_PER_MINUTE: Type.Integer({ default: 30, minimum: 1, maximum: 1_000_000 }),
  /** Password checks (scrypt, tens of milliseconds of CPU each) running at once; as many more may wait. */
  PASSWORD_CHECKS_AT_ONCE: Type.Integer({ default: 2, minimum: 1, maximum: 64 }),
  /** Page views one ad socket may send a second, on average (twice that in a burst); more closes it. */
  PAGE_VIEWS_PER_SECOND: Type.Integer({ default: 10, minimum: 1, maximum: 100_000 }),
  /** Where the monitor's dashboard is: `GET /dashboard` redirects there (the page links to it). */
  DASHBOARD_URL: Type.String({ default: 'http://localhost:3005/', pattern: '^https?://' }),
  /** The built front end (npm run build puts it in dist/web). */
  WEB_ROOT: Type.String({ default: 'dist/web' }),
});
export type WebConfig = Static<typeof WebConfig>;
