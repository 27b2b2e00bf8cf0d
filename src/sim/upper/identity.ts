// What makes the simulated upper platform the same platform from one run to
// the next: its key (the county verifies it) and its ID sequences (the county
// takes a repeated EBMID for the message it already has).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readKeyFile, writeKeyFile } from '../../ebd/domain/key-file';
import { generateSm2KeyPair } from '../../ebd/domain/sm2';

/** The private key in `file`; a missing file is created with a new key (mode 600), as `npm run ebd:keygen` would. */
export function loadOrCreateKey(file: string): { privateKey: string; created: boolean } {
  if (!existsSync(file)) {
    const { privateKey } = generateSm2KeyPair();
    writeFileSync(file, writeKeyFile(privateKey), { mode: 0o600, flag: 'wx' });
    return { privateKey, created: true };
  }
  const privateKey = readKeyFile(readFileSync(file, 'utf8'));
  if (!privateKey) throw new Error(`${file} holds no SM2 private key (a key file from npm run ebd:keygen)`);
  return { privateKey, created: false };
}

export interface Sequences {
  /** The last EBDID sequence used. */
  ebd: string;
  /** The Beijing date (yyyyMMdd) of the last EBMID minted, and its daily sequence. */
  ebmDate: string;
  ebm: number;
}
type StateFile = Record<string, Sequences>;

const readState = (file: string): StateFile =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as StateFile) : {};

export function loadSequences(file: string, ebrid: string): Sequences {
  return readState(file)[ebrid] ?? { ebd: '0', ebmDate: '', ebm: 0 };
}

export function saveSequences(file: string, ebrid: string, sequences: Sequences): void {
  writeFileSync(file, `${JSON.stringify({ ...readState(file), [ebrid]: sequences }, null, 2)}\n`);
}

/** The next EBMID sequence of `date`: 1 on a new day. */
export function nextEbmSequence(sequences: Sequences, date: string): Sequences {
  return { ...sequences, ebmDate: date, ebm: sequences.ebmDate === date ? sequences.ebm + 1 : 1 };
}
