// Writes broker/definitions.json: the broker's users and their permissions,
// one user per service of services/services.json with only what its "bus"
// says it does. Run with `npm run generate:broker`; the output is committed,
// and a test checks it is what this makes. kustomize reads only files at or
// below its folder, so k8s/base/broker/ keeps a copy of broker/: this writes
// that too (a test checks they agree).
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitionsTemplate } from '../deployment/src/broker-definitions';

const root = join(__dirname, '..');
writeFileSync(join(root, 'broker/definitions.json'), definitionsTemplate());
for (const file of ['definitions.json', 'render-definitions.sh', 'rabbitmq.conf']) copyFileSync(join(root, 'broker', file), join(root, 'k8s/base/broker', file));
console.log('wrote broker/definitions.json, and its copy in k8s/base/broker/');
