import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateMediaTools } from './locate-tools';

describe('locateMediaTools', () => {
  let root: string;
  const fakeBinary = (dir: string, name: string, mode = 0o755) => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, mode);
    return path;
  };

  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'dalaba-tools-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers an explicit path, then the PATH', () => {
    const explicit = fakeBinary(join(root, 'opt'), 'my-ffmpeg');
    const bin = join(root, 'bin');
    for (const name of ['ffmpeg', 'ffprobe', 'espeak-ng']) fakeBinary(bin, name);
    const tools = locateMediaTools({ ffmpeg: explicit }, `/nonexistent:${bin}`);
    expect(tools.ffmpeg).toEqual({ name: 'ffmpeg', command: explicit, prefixArgs: [], source: 'environment' });
    expect(tools.ffprobe).toEqual({ name: 'ffprobe', command: join(bin, 'ffprobe'), prefixArgs: [], source: 'PATH' });
    expect(tools.espeakNg.source).toBe('PATH');
  });

  it('skips what on the PATH is not executable, and falls back to the binaries npm ci installed', () => {
    const bin = join(root, 'bin');
    fakeBinary(bin, 'ffmpeg', 0o644);
    const tools = locateMediaTools({}, bin);
    expect(tools.ffmpeg.source).toBe('npm');
    expect(tools.ffmpeg.command).toMatch(/@ffmpeg-installer\/linux-x64\/ffmpeg$/);
    expect(tools.ffprobe.command).toMatch(/@ffprobe-installer\/linux-x64\/ffprobe$/);
    // The WebAssembly espeak-ng runs under this Node, through the project's wrapper script.
    expect(tools.espeakNg).toMatchObject({ command: process.execPath, source: 'npm' });
    expect(tools.espeakNg.prefixArgs[0]).toMatch(/scripts\/espeak-ng-wasm\.mjs$/);
  });

  it('names the variable to set when an explicit path is wrong', () => {
    expect(() => locateMediaTools({ ffprobe: join(root, 'missing') }, '')).toThrow(
      `ffprobe was configured as ${join(root, 'missing')}, which is not an executable file`,
    );
  });
});
