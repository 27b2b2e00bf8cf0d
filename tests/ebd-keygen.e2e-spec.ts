import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKeyFile } from '../src/ebd/domain/key-file';
import { sm2PublicKeyOf } from '../src/ebd/domain/sm2';
import { TEST_JWT_SECRET } from './helpers/app';
import { databaseUrl, REDIS_URL } from './helpers/databases';
import { spawnProcess } from './helpers/processes';

const KEYGEN_CLI = join(__dirname, '../dist/cli/ebd-keygen.js');

describe('npm run ebd:keygen', () => {
  let keyDir: string;
  // What `npm run ebd:keygen` reads from .env: it connects to nothing.
  const run = (...args: string[]) => {
    const cli = spawnProcess(process.execPath, [KEYGEN_CLI, ...args], {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl('unused'),
      REDIS_URL,
      JWT_SECRET: TEST_JWT_SECRET,
      EBD_KEY_DIR: keyDir,
    });
    return cli.exited.then((exit) => ({ exit, output: cli.output() }));
  };

  beforeEach(() => (keyDir = join(mkdtempSync(join(tmpdir(), 'dalaba-keygen-')), 'keys', 'ebd')));
  afterEach(() => rmSync(join(keyDir, '../..'), { recursive: true, force: true }));

  it('writes a private key only its owner can read and prints the public key that goes with it', async () => {
    const { exit, output } = await run('songtao');
    expect(exit).toBe(0);
    const file = join(keyDir, 'songtao.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const privateKey = readKeyFile(readFileSync(file, 'utf8'));
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(output).toContain('signer: file:songtao');
    expect(output).toContain(`for the upper platform): ${sm2PublicKeyOf(privateKey!)}`);
  });

  it('never overwrites a key, and takes only a plain name', async () => {
    expect((await run('songtao')).exit).toBe(0);
    const first = readFileSync(join(keyDir, 'songtao.key'), 'utf8');
    const again = await run('songtao');
    expect(again).toMatchObject({ exit: 1, output: expect.stringMatching(/exists already/) });
    expect(readFileSync(join(keyDir, 'songtao.key'), 'utf8')).toBe(first);
    const escaping = await run('../outside');
    expect(escaping).toMatchObject({ exit: 1, output: expect.stringMatching(/usage: npm run ebd:keygen/) });
  });
});
