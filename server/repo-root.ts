import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the project's package.json. Found by walking up rather than by a fixed
 * `../`, because this code runs both as `server/*.ts` (tsx) and bundled as `dist/server/main.js`,
 * which sit at different depths.
 */
export function findRepoRoot(from: string = import.meta.url): string {
  let folder = dirname(fileURLToPath(from));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    folder = parent;
  }
  return folder;
}
