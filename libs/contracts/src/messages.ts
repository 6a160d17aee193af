import { adNeedV1, adNeedV2 } from './ad-need';
import { adSolutionV1, adSolutionV2 } from './ad-solution';
import type { MessageContract } from './message-contract';
import { adClickedV1 } from './ad-clicked';
import { adServedV1 } from './ad-served';
import { serviceHeartbeatV1 } from './service-heartbeat';
import { sessionEndedV1 } from './session-ended';

/**
 * Every message version on the bus, each on an exchange of its own. A
 * listener that hears everything (a monitor) binds to all of them; the
 * AsyncAPI document (docs/asyncapi.yaml) is generated from this list.
 */
export const MESSAGES: readonly MessageContract[] = [
  adNeedV1,
  adNeedV2,
  adSolutionV1,
  adSolutionV2,
  adServedV1,
  adClickedV1,
  sessionEndedV1,
  serviceHeartbeatV1,
];
