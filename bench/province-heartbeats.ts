import type { Client } from 'pg';
import { type WrkDevice, type WrkFigures, wrkDevices } from './wrk';

// What a steady heartbeat load costs Postgres. pg_stat_statements would
// count statements, but it needs shared_preload_libraries and a restart of a
// server other benches and tests share; so the bench reads the counters
// Postgres keeps for every database anyway (pg_stat_database): transactions
// (each statement outside an explicit transaction is one, so they count
// statements and batches of them) and rows written, plus the endpoint
// table's row updates (pg_stat_user_tables). The same window is read once
// idle, with the cluster doing only what it does on its own (sweeps, queue
// polling), and once under heartbeats: the difference is the heartbeats'.

const HEARTBEAT_PATH = '/api/v1/device/heartbeat';
// Backends report their counters when a transaction ends, at most once a second: wait that out before a reading.
const STATS_SETTLE_MS = 1500;

export interface Counters {
  at: number;
  transactions: number;
  rowsWritten: number;
  endpointUpdates: number;
}

export interface Window {
  seconds: number;
  transactions: number;
  rowsWritten: number;
  endpointUpdates: number;
}

export async function readCounters(db: Client, database: string): Promise<Counters> {
  const { rows } = await db.query<{ transactions: string; written: string; endpoint: string | null }>(
    `SELECT d.xact_commit + d.xact_rollback AS transactions,
            d.tup_inserted + d.tup_updated + d.tup_deleted AS written,
            (SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'endpoint') AS endpoint
     FROM pg_stat_database d WHERE d.datname = $1`,
    [database],
  );
  const [row] = rows;
  return {
    at: performance.now(),
    transactions: Number(row.transactions),
    rowsWritten: Number(row.written),
    endpointUpdates: Number(row.endpoint ?? 0),
  };
}

/** What happened between two readings. */
export function between(before: Counters, after: Counters): Window {
  return {
    seconds: (after.at - before.at) / 1000,
    transactions: after.transactions - before.transactions,
    rowsWritten: after.rowsWritten - before.rowsWritten,
    endpointUpdates: after.endpointUpdates - before.endpointUpdates,
  };
}

/** Per second, over a window. */
export function perSecond(window: Window) {
  return {
    transactions: window.transactions / window.seconds,
    rowsWritten: window.rowsWritten / window.seconds,
    endpointUpdates: window.endpointUpdates / window.seconds,
  };
}

/** The load window's counts less what the idle rate accounts for over as long: the heartbeats' own, per heartbeat. */
export function perHeartbeat(idle: Window, load: Window, heartbeats: number) {
  const rate = perSecond(idle);
  const own = (count: number, idleRate: number) => Math.max(0, count - idleRate * load.seconds) / heartbeats;
  return {
    transactions: own(load.transactions, rate.transactions),
    rowsWritten: own(load.rowsWritten, rate.rowsWritten),
    endpointUpdates: own(load.endpointUpdates, rate.endpointUpdates),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, STATS_SETTLE_MS));

/** The idle window: nothing sent for `seconds`. */
export async function idleWindow(db: Client, database: string, seconds: number): Promise<Window> {
  await settle();
  const before = await readCounters(db, database);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return between(before, await readCounters(db, database));
}

/**
 * Every device beating once per `intervalSeconds`, through the balancer, for
 * `seconds`, after each has beaten once (not counted): a device's first beat
 * is news (it came online) and is written at once however heartbeats are
 * stored; the steady load is of devices already online, with the same volume.
 */
export async function heartbeatWindow(
  db: Client,
  database: string,
  plan: { origin: string; devices: WrkDevice[]; intervalSeconds: number; seconds: number; connections: number },
): Promise<{ window: Window; load: WrkFigures; warmUp: WrkFigures }> {
  const beat = {
    url: `${plan.origin}${HEARTBEAT_PATH}`,
    method: 'POST' as const,
    json: { volume: 60, playing: false },
    devices: plan.devices,
    connections: plan.connections,
    threads: 2,
  };
  const warmUp = await wrkDevices({ ...beat, seconds: 600, once: true });
  await settle();
  const before = await readCounters(db, database);
  const load = await wrkDevices({
    ...beat,
    seconds: plan.seconds,
    ratePerSecond: plan.devices.length / plan.intervalSeconds,
  });
  await settle();
  return { window: between(before, await readCounters(db, database)), load, warmUp };
}
