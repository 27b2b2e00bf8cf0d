import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './files';
import type { ListedItem, Playlist } from './protocol';

export interface Credentials {
  /** Which enrollment code it came from (its digest): a new code in the env file means enroll again. */
  codeDigest?: string;
  endpointId: string;
  token: string;
  server: string;
  serial: string;
}

export interface Settings {
  volume: number;
  muted: boolean;
}

export interface CommandOutcome {
  status: 'done' | 'failed';
  result?: string;
  at: number;
}

// A command id the server might still resend is remembered this long (commands expire well before).
const COMMAND_MEMORY_MS = 7 * 86_400_000;

/**
 * The state directory (DALABA_STATE_DIR, /var/lib/dalaba-agent under systemd):
 *   credentials.json   the token from enrolling (0600): the server shows it once
 *   settings.json      volume and mute, as the last commands left them
 *   commands.json      outcomes of commands handled, by id (a resent one is re-reported, not redone)
 *   playlists/<date>.json  the playlists pulled, to air from when the server cannot be reached
 *   media/<sha256>.mp3     the cache (media/<sha256>.partial: a download under way)
 *   receipts.jsonl, heartbeats.jsonl  what waits for the server
 * Every file is replaced atomically (written, fsynced, renamed).
 */
export class StateDir {
  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'playlists'), { recursive: true, mode: 0o700 });
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  credentials(): Credentials | undefined {
    return this.read<Credentials>('credentials.json');
  }

  saveCredentials(credentials: Credentials): void {
    writeAtomic(this.file('credentials.json'), `${JSON.stringify(credentials, null, 2)}\n`, 0o600);
  }

  settings(): Settings {
    return this.read<Settings>('settings.json') ?? { volume: 60, muted: false };
  }

  saveSettings(settings: Settings): void {
    writeAtomic(this.file('settings.json'), `${JSON.stringify(settings)}\n`);
  }

  commands(): Record<string, CommandOutcome> {
    return this.read<Record<string, CommandOutcome>>('commands.json') ?? {};
  }

  saveCommands(commands: Record<string, CommandOutcome>, now: number): void {
    const kept = Object.fromEntries(Object.entries(commands).filter(([, { at }]) => now - at < COMMAND_MEMORY_MS));
    writeAtomic(this.file('commands.json'), `${JSON.stringify(kept)}\n`);
  }

  playlists(): Playlist<ListedItem>[] {
    return readdirSync(this.file('playlists'))
      .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
      .flatMap((name) => this.read<Playlist<ListedItem>>(join('playlists', name)) ?? []);
  }

  savePlaylist(playlist: Playlist<ListedItem>): void {
    writeAtomic(this.file(join('playlists', `${playlist.date}.json`)), `${JSON.stringify(playlist)}\n`);
  }

  forgetPlaylist(date: string): void {
    rmSync(this.file(join('playlists', `${date}.json`)), { force: true });
  }

  /** A file that is missing or unreadable is as good as absent (writes are atomic, so that is a first run or a hand edit). */
  private read<T>(name: string): T | undefined {
    const path = this.file(name);
    if (!existsSync(path)) return undefined;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
