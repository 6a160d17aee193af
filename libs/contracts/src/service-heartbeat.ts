import { Type, type Static } from '@sinclair/typebox';
import { CausedByNothing, ConversationId, envelopeOf, newEnvelopeFields, type Producer } from './envelope';
import { defineMessage } from './message-contract';

/** The channel of a message version, such as `ad.need.v2`. */
const Channel = Type.String({ pattern: '^[a-z]+(\\.[a-z]+)*\\.v[0-9]+$', maxLength: 64 });

/**
 * "I am here": every service says it when it starts, again every
 * `intervalMs` while it runs, and once more when it stops. The producer says
 * which service, version and instance; the payload says what it does on the
 * bus. A listener (the monitor) knows from these which versions are alive,
 * with how many instances, and notices one that falls silent.
 */
export const ServiceHeartbeatV1 = envelopeOf('service.heartbeat', 1, {
  conversationId: ConversationId,
  causationId: CausedByNothing,
  payload: Type.Object({
    state: Type.Union([Type.Literal('started'), Type.Literal('alive'), Type.Literal('stopping')]),
    /** A shadow version's answers are timed and compared, never shown. */
    shadow: Type.Boolean(),
    /** The message versions this instance reads and writes: their channels. */
    reads: Type.Array(Channel, { maxItems: 32 }),
    writes: Type.Array(Channel, { maxItems: 32 }),
    /** The next heartbeat comes within this many milliseconds, unless the instance stops. */
    intervalMs: Type.Integer({ minimum: 100, maximum: 3_600_000 }),
  }),
});
export type ServiceHeartbeatV1 = Static<typeof ServiceHeartbeatV1>;

export const serviceHeartbeatV1 = defineMessage(ServiceHeartbeatV1);

export function createServiceHeartbeatV1(producer: Producer, payload: ServiceHeartbeatV1['payload'], now: Date = new Date()): ServiceHeartbeatV1 {
  const fields = newEnvelopeFields(producer, now);
  return { ...fields, conversationId: fields.id, causationId: null, name: 'service.heartbeat', schemaVersion: 1, payload };
}
