import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IcecastConfig } from '../config/config';

// How long Icecast may take to answer after it is started.
const START_TIMEOUT_MS = 10_000;
// Bytes Icecast hands a listener at once on connecting: three seconds of a
// 64 kbit/s stream. Icecast 2.4.4 accepts new listeners through a backlog of
// five, so of many loudspeakers told at once some connect a second or more
// late (the kernel's SYN retry); with only a second of burst they missed the
// first words (bench:live). A loudspeaker that plays from its first byte is
// then up to three seconds behind the speaker, which a 喊话 tolerates better
// than a lost start.
const BURST_BYTES = 24_576;
// A source that sends nothing for this long is dropped by Icecast (Dalaba sends
// silence while a speaker's connection is away, so only a dead one is).
const SOURCE_TIMEOUT_SECONDS = 10;

export interface RunningIcecast {
  /** Stops Icecast (SIGTERM, then SIGKILL) and removes its folder. */
  stop(): Promise<void>;
  /** The process, for a test that kills it as a machine would. */
  child: ChildProcess;
}

/**
 * Starts Debian's `icecast2` listening where `config.url` says, with a config
 * file of its own in a fresh folder, and resolves once it answers. `npm start`
 * uses this when ICECAST_START is true, and so do the tests; in production
 * Icecast usually runs as its own service (docker-compose.yml).
 */
export async function startIcecast(config: IcecastConfig, maxClients = 2_000): Promise<RunningIcecast> {
  const { hostname, port } = new URL(config.url);
  const dir = mkdtempSync(join(tmpdir(), 'dalaba-icecast-'));
  // Icecast refuses to run as root and drops to `nobody` (after reading its config; it logs to its own output).
  const asRoot = process.getuid?.() === 0;
  writeFileSync(
    join(dir, 'icecast.xml'),
    icecastXml({
      host: hostname,
      port: Number(port || 80),
      sourcePassword: config.sourcePassword,
      // Nothing of Dalaba uses the admin interface; an unguessable password keeps it shut.
      adminPassword: randomBytes(24).toString('hex'),
      logDir: dir,
      maxClients,
      changeOwner: asRoot,
    }),
  );
  const child = spawn(config.path, ['-c', join(dir, 'icecast.xml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  child.stderr?.on('data', (chunk) => (output = (output + chunk).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Icecast (${config.path}) could not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`Icecast exited (${code}) on start: ${output.trim()}`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([answering(config.url), failed]);
  } catch (error) {
    await stop();
    throw error;
  }
  failed.catch(() => undefined);
  return { stop, child };
}

/** Resolves once Icecast's status page answers. */
async function answering(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await fetch(`${url}/status-json.xsl`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`Icecast did not answer at ${url} within ${START_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface IcecastXmlOptions {
  host: string;
  port: number;
  sourcePassword: string;
  adminPassword: string;
  logDir: string;
  maxClients: number;
  changeOwner: boolean;
}

const xmlText = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Icecast's configuration: loopback or the given address, no static files, logs to the folder. */
export function icecastXml(o: IcecastXmlOptions): string {
  return `<icecast>
  <location>Dalaba</location>
  <admin>dalaba@localhost</admin>
  <limits>
    <clients>${o.maxClients}</clients>
    <sources>200</sources>
    <queue-size>524288</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>${SOURCE_TIMEOUT_SECONDS}</source-timeout>
    <burst-on-connect>1</burst-on-connect>
    <burst-size>${BURST_BYTES}</burst-size>
  </limits>
  <authentication>
    <source-password>${xmlText(o.sourcePassword)}</source-password>
    <admin-user>admin</admin-user>
    <admin-password>${xmlText(o.adminPassword)}</admin-password>
  </authentication>
  <hostname>${xmlText(o.host)}</hostname>
  <listen-socket>
    <port>${o.port}</port>
    <bind-address>${xmlText(o.host)}</bind-address>
  </listen-socket>
  <fileserve>0</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>${xmlText(o.logDir)}</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging>
    <accesslog>-</accesslog>
    <errorlog>-</errorlog>
    <loglevel>2</loglevel>
  </logging>
  <security>
    <chroot>0</chroot>${o.changeOwner ? '\n    <changeowner><user>nobody</user><group>nogroup</group></changeowner>' : ''}
  </security>
</icecast>
`;
}
