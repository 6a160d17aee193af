import { brokerDefinitions } from '@ad-race/contracts';
import { listedServices } from '@ad-race/service-testing';

// broker/definitions.json: the broker's users (one per service, with only its
// permissions, and an administrator) for the namespace compose and Kubernetes
// run (ad-race). Passwords are placeholders, @NAME@, that
// broker/render-definitions.sh fills in from the environment (compose) or a
// Secret (Kubernetes) as the broker starts. `npm run generate:broker` writes
// it; a test checks the committed file is what this makes.

/** The namespace the compose file and the Kubernetes manifests run. */
const DEPLOYED_NAMESPACE = 'ad-race';

/** The variable holding a service's broker password: ads-v1 → ADS_V1_BROKER_PASSWORD. */
export function passwordVariable(service: string): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_BROKER_PASSWORD`;
}

export function definitionsTemplate(): string {
  const users = listedServices().map((s) => ({ name: s.name, password: `@${passwordVariable(s.name)}@`, access: s.bus }));
  const definitions = brokerDefinitions(DEPLOYED_NAMESPACE, { name: '@RABBITMQ_USER@', password: '@RABBITMQ_PASSWORD@' }, users);
  return JSON.stringify(definitions, null, 2) + '\n';
}
