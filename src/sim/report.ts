import { type Clock, zoneIso } from 'dalaba-agent/protocol';

function emptyStats() {
  return {
    endpoints: { enrolled: 0, reused: 0, revoked: 0 },
    pulls: { ok200: 0, notModified304: 0, errors: 0 },
    media: { downloaded: 0, verified: 0, mismatches: 0 },
    items: { played: 0, failed: 0, interrupted: 0, skippedPast: 0 },
    // Live streams: how each ended, those that ended before their turn, and the audio bytes read.
    live: { played: 0, failed: 0, interrupted: 0, notAired: 0, bytes: 0 },
    receipts: { posted: 0, accepted: 0, duplicates: 0, unsent: 0 },
    events: { playlistChanged: 0, emergency: 0, emergencyCancelled: 0, liveStarted: 0, liveEnded: 0, reconnects: 0 },
    // Routes the server answered 404 for: not deployed yet, so the device tries again later.
    notAvailable: { playlist: 0, events: 0, receipts: 0 },
    errors: { count: 0, first: [] as string[] },
  };
}
export type Stats = ReturnType<typeof emptyStats>;

const KEPT_ERRORS = 5;

/** One process-wide tally and log: stdout stays free for the summary. */
export class Report {
  readonly stats = emptyStats();

  constructor(private readonly clock: Clock) {}

  log(who: string, message: string): void {
    process.stderr.write(`${zoneIso(this.clock.now()).slice(11, 23)} [${who}] ${message}\n`);
  }

  /** A receipt batch reached the server; one refused for good (a status) counts nowhere. */
  receiptsPosted(count: number, answer: { accepted?: number; duplicates?: number } | number): void {
    if (typeof answer === 'number') return;
    this.stats.receipts.posted += count;
    this.stats.receipts.accepted += answer.accepted ?? 0;
    this.stats.receipts.duplicates += answer.duplicates ?? 0;
  }

  error(who: string, message: string): void {
    const errors = this.stats.errors;
    errors.count++;
    if (errors.first.length < KEPT_ERRORS) errors.first.push(`[${who}] ${message}`);
    this.log(who, `error: ${message}`);
  }
}

export function formatSummary(stats: Stats): string[] {
  const {
    endpoints: e,
    pulls: p,
    media: m,
    items: i,
    live: l,
    receipts: r,
    events: v,
    notAvailable: n,
    errors,
  } = stats;
  return [
    `endpoints   enrolled ${e.enrolled}, reused ${e.reused}, revoked ${e.revoked}`,
    `pulls       200: ${p.ok200}, 304: ${p.notModified304}, errors: ${p.errors}`,
    `media       downloaded ${m.downloaded}, verified ${m.verified}, mismatches ${m.mismatches}`,
    `items       played ${i.played}, failed ${i.failed}, interrupted ${i.interrupted}, skipped (past) ${i.skippedPast}`,
    `live        played ${l.played}, failed ${l.failed}, interrupted ${l.interrupted}, ended before their turn ${l.notAired}, ${l.bytes} bytes read`,
    `receipts    posted ${r.posted}, accepted ${r.accepted}, duplicates ${r.duplicates}, unsent ${r.unsent}`,
    `events      playlist-changed ${v.playlistChanged}, emergency ${v.emergency}, emergency-cancelled ${v.emergencyCancelled}, live-started ${v.liveStarted}, live-ended ${v.liveEnded}, reconnects ${v.reconnects}`,
    `not yet     playlist ${n.playlist}, events ${n.events}, receipts ${n.receipts} (answered 404)`,
    `errors      ${errors.count}`,
    ...errors.first.map((message) => `  ${message}`),
  ];
}
