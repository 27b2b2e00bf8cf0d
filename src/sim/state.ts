import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface DeviceCredentials {
  endpointId: string;
  token: string;
  regionCode: string;
  serial: string;
}

/** Enrolled devices by server and region, so a rerun plays the same loudspeakers instead of registering new ones. */
export interface SimState {
  fleets: Record<string, DeviceCredentials[]>;
}

export function fleetKey(server: string, region: string): string {
  return `${server.replace(/\/+$/, '')} ${region}`;
}

export function loadState(file: string): SimState {
  if (!existsSync(file)) return { fleets: {} };
  const state = JSON.parse(readFileSync(file, 'utf8')) as Partial<SimState>;
  if (typeof state.fleets !== 'object' || state.fleets === null)
    throw new Error(`${file} is not a simulator state file`);
  return { fleets: state.fleets };
}

/** Written whole, then renamed into place: a crash mid-write must not lose the tokens, which the server shows only once. */
export function saveState(file: string, state: SimState): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, file);
}
