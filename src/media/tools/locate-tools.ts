import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PROJECT_ROOT } from '../../infra/project-root';

// Where ffmpeg, ffprobe and espeak-ng come from, in order of preference: an
// explicit path from the environment, the machine's own (Debian's packages,
// newer and faster), else a build shipped inside an npm package, so that
// `npm ci` alone gives a working pipeline.

export type ToolSource = 'environment' | 'PATH' | 'npm';

export interface Tool {
  name: string;
  /** The program to run, and any arguments that come before the tool's own. */
  command: string;
  prefixArgs: string[];
  source: ToolSource;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onSearchPath(name: string, searchPath: string): string | undefined {
  return searchPath
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(executable);
}

function fromPackage(resolve: () => string): string | undefined {
  try {
    return resolve();
  } catch {
    return undefined;
  }
}

function locate(name: string, explicit: string | undefined, packaged: () => Omit<Tool, 'name' | 'source'> | undefined, searchPath: string): Tool {
  if (explicit) {
    if (!executable(explicit)) throw new Error(`${name} was configured as ${explicit}, which is not an executable file`);
    return { name, command: explicit, prefixArgs: [], source: 'environment' };
  }
  const found = onSearchPath(name, searchPath);
  if (found) return { name, command: found, prefixArgs: [], source: 'PATH' };
  const shipped = packaged();
  if (shipped) return { name, ...shipped, source: 'npm' };
  throw new Error(`${name} not found: set ${name.toUpperCase().replace('-', '_')}_PATH, install it, or run npm ci`);
}

const ESPEAK_WASM_SCRIPT = join(PROJECT_ROOT, 'scripts', 'espeak-ng-wasm.mjs');

export interface MediaTools {
  ffmpeg: Tool;
  ffprobe: Tool;
  espeakNg: Tool;
}

export function locateMediaTools(
  explicit: { ffmpeg?: string; ffprobe?: string; espeakNg?: string },
  searchPath = process.env.PATH ?? '',
): MediaTools {
  const binary = (pkg: string) => () => {
    // The installer packages are found by name at run time, and only if installed.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = fromPackage(() => (require(pkg) as { path: string }).path);
    return path && executable(path) ? { command: path, prefixArgs: [] } : undefined;
  };
  return {
    ffmpeg: locate('ffmpeg', explicit.ffmpeg, binary('@ffmpeg-installer/ffmpeg'), searchPath),
    ffprobe: locate('ffprobe', explicit.ffprobe, binary('@ffprobe-installer/ffprobe'), searchPath),
    espeakNg: locate(
      'espeak-ng',
      explicit.espeakNg,
      () => (fromPackage(() => require.resolve('espeak-ng')) ? { command: process.execPath, prefixArgs: [ESPEAK_WASM_SCRIPT] } : undefined),
      searchPath,
    ),
  };
}

export function describeTool(tool: Tool): string {
  return `${tool.name}: ${[tool.command, ...tool.prefixArgs].join(' ')} (from ${tool.source})`;
}
