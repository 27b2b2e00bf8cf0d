import { readFileSync } from 'node:fs';
import { ebmDate } from '../../ebd/domain/ebd-time';
import { newEbmId } from '../../ebd/domain/ids';
import { generateSm2KeyPair, normalisePublicKey } from '../../ebd/domain/sm2';
import { platformEbrid } from '../../kernel/ebrid';
import { parseUpperOptions, USAGE, type UpperOptions } from './args';
import { awaited, outgoing } from './commands';
import { loadOrCreateKey, loadSequences, nextEbmSequence, saveSequences, type Sequences } from './identity';
import { formatEvent, receivedEvent, sentEvent, type PrintedEvent } from './print';
import { type ReceivedReport, type SentPackage, UpperPlatform } from './upper-platform';
import { errorMessage as message, runMain } from '../run-main';

// Without --wait a command waits for its answer as long as a person lets it (Ctrl-C).
const FOREVER_MS = 24 * 3600_000;

/** The county as the simulator addresses it: its platform EBRID, receive URL and public key. */
interface County {
  ebrid?: string;
  receiveUrl: string;
  publicKey?: string;
}

/** `npm run sim:upper`: a city's emergency-broadcast platform against a running Dalaba (docs/ebd-exchange.md). */
async function main(): Promise<number> {
  let options: UpperOptions | 'help';
  try {
    options = parseUpperOptions(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${message(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const print = (event: PrintedEvent) =>
    process.stdout.write(`${options.json ? JSON.stringify(event) : formatEvent(event)}\n`);
  const say = (text: string, fields: Record<string, unknown>) =>
    process.stdout.write(`${options.json ? JSON.stringify({ event: 'info', ...fields }) : text}\n`);

  let key: { privateKey: string; created: boolean };
  let county: County;
  let sequences: Sequences;
  let upper: UpperPlatform;
  try {
    key = options.keyFile ? loadOrCreateKey(options.keyFile) : { ...generateSm2KeyPair(), created: true };
    county = await findCounty(options);
    sequences = loadSequences(options.stateFile, options.ebrid);
    upper = await UpperPlatform.start({
      ebrid: options.ebrid,
      privateKey: key.privateKey,
      host: options.host,
      port: options.port,
      ...(options.url ? { url: options.url } : {}),
      lastSequence: BigInt(sequences.ebd),
    });
  } catch (error) {
    // A key file, the county's link or the port: what a person can mend, said in a line.
    process.stderr.write(`${message(error)}\n`);
    return 1;
  }
  upper.countyPublicKey = county.publicKey;
  upper.onReceived = (report) => print(receivedEvent(report));
  say(`upper platform ${upper.ebrid} listening at ${upper.url} (the county's upperUrl)`, {
    ebrid: upper.ebrid,
    url: upper.url,
  });
  say(`public key (the county's upperPublicKey): ${upper.publicKey}${newKeyNote(key.created, options.keyFile)}`, {
    publicKey: upper.publicKey,
  });
  say(
    `county ${county.ebrid ?? '(unknown EBRID)'} at ${county.receiveUrl}; its reports are ${county.publicKey ? 'verified with its key' : 'not verified (no --county-key)'}`,
    { county: county.ebrid ?? null, to: county.receiveUrl, countyKey: county.publicKey ?? null },
  );

  let refused = false;
  let until: ((report: ReceivedReport) => boolean) | null = null;
  if (options.command !== 'serve') {
    const now = new Date();
    const mintEbmId = () => {
      sequences = nextEbmSequence(sequences, ebmDate(now));
      return newEbmId(upper.ebrid, sequences.ebmDate, sequences.ebm);
    };
    const audioFile = options.ebm?.audioFile;
    const audio = audioFile ? { path: audioFile, data: readFileSync(audioFile) } : undefined;
    const package_ = outgoing(options, now, mintEbmId, audio);
    const sealed = await upper.seal(county.ebrid!, package_.type, package_.detail, { resources: package_.resources });
    saveSequences(options.stateFile, upper.ebrid, { ...sequences, ebd: upper.lastSequence.toString() });
    const sent = await upper
      .post(county.receiveUrl, sealed)
      .catch((error: unknown): SentPackage => ({ sealed, status: 0, problem: message(error) }));
    print(sentEvent(sent, package_.type, package_.content, now));
    refused = sent.answer?.resultCode !== 1;
    if (!refused)
      until = awaited(options, { ebdId: sealed.header.ebdId, ...(package_.ebmId ? { ebmId: package_.ebmId } : {}) });
  }
  // --wait 0: send and go, whatever follows.
  const waits = options.command === 'serve' || (until !== null && options.waitMs !== 0);
  const arrived = waits ? await serve(upper, until, options.waitMs) : true;
  // The EBDResponses it answered with used sequences too.
  saveSequences(options.stateFile, upper.ebrid, { ...sequences, ebd: upper.lastSequence.toString() });
  await upper.close();
  if (!arrived) say('stopped before the answer arrived', { stopped: 'waiting' });
  return refused || !arrived ? 1 : 0;
}

function newKeyNote(created: boolean, keyFile: string | undefined): string {
  if (!created) return '';
  return keyFile ? ` (a new key, written to ${keyFile})` : ' (a new key: keep one with --key FILE)';
}

/** The county's EBRID, receive URL and key: from the options, and from its link over the API when a token is given. */
async function findCounty(options: UpperOptions): Promise<County> {
  let link: { ebrid: string; receiveUrl: string; publicKey: string | null } | undefined;
  if (options.token && options.countyCode) {
    const url = `${options.server}/api/v1/ebd/links/${options.countyCode}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${options.token}` } }).catch(
      (error: unknown) => {
        throw new Error(`reading the county's link at ${url}: ${message(error)}`, { cause: error });
      },
    );
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status} ${await response.text()}`);
    link = (await response.json()) as typeof link;
  }
  return {
    ebrid: options.county ?? link?.ebrid ?? (options.countyCode && platformEbrid(options.countyCode, '0101')),
    receiveUrl: options.to ?? link?.receiveUrl ?? `${options.server}/api/v1/ebd/exchange`,
    publicKey: options.countyKey ?? (link?.publicKey ? (normalisePublicKey(link.publicKey) ?? undefined) : undefined),
  };
}

/** Serves until `until` matches a report (null: for ever), `waitMs` passes or Ctrl-C; whether it ended as hoped. */
async function serve(
  upper: UpperPlatform,
  until: ((report: ReceivedReport) => boolean) | null,
  waitMs: number | undefined,
): Promise<boolean> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const timer = waitMs === undefined ? undefined : setTimeout(onSignal, waitMs);
  try {
    if (!until) {
      await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
      return true;
    }
    await upper.waitFor(until, waitMs ?? FOREVER_MS, stop.signal);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

runMain(main);
