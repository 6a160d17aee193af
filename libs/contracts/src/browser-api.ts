import { Type, type Static } from '@sinclair/typebox';
import { PageName } from './ad-need';
import { Ad } from './offer';
import { compiledValidator, decodeJson, interpretedValidator, type Decoded } from './validators';

// The contract between the browser and the web service: HTTP bodies and
// WebSocket frames. Documented in the README; scripts depend on it.

export const LoginRequest = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const Customer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  city: Type.String(),
  loyaltyTier: Type.String(),
});
export type Customer = Static<typeof Customer>;

export const SessionResponse = Type.Object({ customer: Customer });
export type SessionResponse = Static<typeof SessionResponse>;

export const ErrorResponse = Type.Object({ error: Type.String() });
export type ErrorResponse = Static<typeof ErrorResponse>;

/** Browser to server: the customer opened a page; fire a new need and a new race. */
export const PageView = Type.Object({ type: Type.Literal('page'), page: PageName });
export type PageView = Static<typeof PageView>;

/** Browser to server: the customer clicked the ad of this need. Counted once per ad, for the version that served it. */
export const AdClick = Type.Object({ type: Type.Literal('click'), needId: Type.String({ format: 'uuid' }) });
export type AdClick = Static<typeof AdClick>;

/** Everything the browser sends on the ad socket. */
export const BrowserMessage = Type.Union([PageView, AdClick]);
export type BrowserMessage = Static<typeof BrowserMessage>;
/** The web server's check of every frame a browser sends: compiled, on its first frame. */
export const browserMessageValidator = compiledValidator(BrowserMessage);

export const ServedBy = Type.Object({ service: Type.String(), version: Type.String(), instance: Type.String() });
export type ServedBy = Static<typeof ServedBy>;

/** Server to browser: the winning ad (or the house ad) for one need. */
export const AdMessage = Type.Object({
  type: Type.Literal('ad'),
  needId: Type.String(),
  /** The page whose view asked for this ad. */
  page: PageName,
  ad: Ad,
  servedBy: ServedBy,
  latencyMs: Type.Number(),
});
export type AdMessage = Static<typeof AdMessage>;

export const RaceReply = Type.Object({
  version: Type.String(),
  latencyMs: Type.Number(),
  won: Type.Boolean(),
  shadow: Type.Boolean(),
  /** Arrived after the race closed at its deadline. */
  late: Type.Boolean(),
  /** Came through the schema adapter: the version answered a newer version of the need. */
  translated: Type.Boolean(),
});
export type RaceReply = Static<typeof RaceReply>;

/**
 * Server to browser: every version's answer to one need, in order of arrival.
 * Sent when the race closes, and again if a late reply arrives afterwards.
 */
export const RaceMessage = Type.Object({
  type: Type.Literal('race'),
  needId: Type.String(),
  deadlineMs: Type.Number(),
  replies: Type.Array(RaceReply),
  /**
   * The versions that answered some race in the last minute but not this one
   * (yet): a version that stopped shows as "no answer" rather than vanishing.
   */
  noAnswer: Type.Array(Type.String()),
});
export type RaceMessage = Static<typeof RaceMessage>;

export const ErrorMessage = Type.Object({ type: Type.Literal('error'), message: Type.String() });
export type ErrorMessage = Static<typeof ErrorMessage>;

export const ServerMessage = Type.Union([AdMessage, RaceMessage, ErrorMessage]);
export type ServerMessage = Static<typeof ServerMessage>;
/** For servers and tests that check what the web server sends: compiled, on first use. */
export const serverMessageValidator = compiledValidator(ServerMessage);

const serverMessageInterpreted = interpretedValidator(ServerMessage);

/**
 * For the page (and anything else in a browser): one WebSocket frame from the
 * web server, parsed and checked against the contract without generating code
 * (the page's Content-Security-Policy forbids it). A frame that breaks the
 * contract is an error to report, never something to render.
 */
export function decodeServerMessage(frame: string): Decoded<ServerMessage> {
  return decodeJson(serverMessageInterpreted, frame, 'message from the server');
}
