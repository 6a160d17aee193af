import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The workspace root: found from the current directory (Jest runs a project from its own folder). */
export function workspaceRoot(): string {
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'services/services.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('not inside the ad-race workspace: no services/services.json above ' + process.cwd());
  }
}
