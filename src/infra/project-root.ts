import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/**
 * The folder with package.json, prisma/ and scripts/, found the same way
 * whether this code runs from src/ (tests), dist/ (the service) or a
 * benchmark build, whose folders sit at different depths.
 */
export const PROJECT_ROOT = findProjectRoot(__dirname);
