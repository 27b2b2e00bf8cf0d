import { randomBytes } from 'node:crypto';
import { type CallOptions, type Http, reason } from 'dalaba-agent/protocol';
import type { Options } from './args';
import type { Report } from './report';
import { fleetKey, loadState, saveState, type DeviceCredentials } from './state';

export type SetupOptions = Pick<
  Options,
  'endpoints' | 'region' | 'server' | 'username' | 'password' | 'stateFile' | 'concurrency'
>;

interface RegionSummary {
  code: string;
  name: string;
  level: 'county' | 'township' | 'village';
}

const WHO = 'setup';

/**
 * Runs `task` for 0 … count-1, at most `limit` at a time. After the first
 * failure nothing new starts; the ones under way finish, then it throws.
 */
export async function runPool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < count && !failure) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  if (failure) throw failure.error;
}

/**
 * The devices to simulate: those the state file remembers for this server and
 * region first, then as many new ones as are missing, registered as an
 * operator would (round-robin over the villages below the region) and
 * enrolled with their one-time codes.
 */
export async function enrollFleet(http: Http, report: Report, options: SetupOptions): Promise<DeviceCredentials[]> {
  const state = loadState(options.stateFile);
  const key = fleetKey(options.server, options.region);
  const fleet = (state.fleets[key] ??= []);
  const reused = fleet.slice(0, options.endpoints);
  report.stats.endpoints.reused = reused.length;
  const missing = options.endpoints - reused.length;
  if (missing === 0) return reused;

  const userToken = await login(http, options);
  const villages = await villagesUnder(http, userToken, options.region, options.concurrency);
  if (villages.length === 0) throw new Error(`region ${options.region} has no villages`);
  report.log(
    WHO,
    `enrolling ${missing} new endpoints over ${villages.length} villages (${reused.length} reused from ${options.stateFile})`,
  );
  const start = fleet.length;
  try {
    await runPool(missing, options.concurrency, async (index) => {
      const device = await enrollOne(http, userToken, villages[(start + index) % villages.length]);
      fleet.push(device);
      report.stats.endpoints.enrolled++;
      report.log(device.endpointId.slice(0, 8), `enrolled in ${device.regionCode} as ${device.serial}`);
    });
  } finally {
    saveState(options.stateFile, state);
  }
  return fleet.slice(0, options.endpoints);
}

async function login(http: Http, options: SetupOptions): Promise<string> {
  const body = { username: options.username, password: options.password };
  const answer = await ask<{ accessToken: string }>(
    http,
    'POST',
    '/api/v1/auth/login',
    { who: WHO, json: body },
    `login as ${options.username}`,
  );
  return answer.accessToken;
}

async function villagesUnder(http: Http, token: string, code: string, concurrency: number): Promise<string[]> {
  const region = await ask<RegionSummary & { children: RegionSummary[] }>(
    http,
    'GET',
    `/api/v1/regions/${code}`,
    { who: WHO, token },
    `region ${code}`,
  );
  if (region.level === 'village') return [region.code];
  const nested: string[][] = [];
  await runPool(region.children.length, concurrency, async (index) => {
    const child = region.children[index];
    nested[index] =
      child.level === 'village' ? [child.code] : await villagesUnder(http, token, child.code, concurrency);
  });
  return nested.flat();
}

async function enrollOne(http: Http, userToken: string, regionCode: string): Promise<DeviceCredentials> {
  const serial = `SIM-${randomBytes(6).toString('hex').toUpperCase()}`;
  const register = { who: WHO, token: userToken, json: { regionCode, name: `模拟喇叭 ${serial}` } };
  const { enrollmentCode } = await ask<{ enrollmentCode: string }>(
    http,
    'POST',
    '/api/v1/endpoints',
    register,
    `register an endpoint in ${regionCode}`,
  );
  const enroll = { who: WHO, json: { enrollmentCode, serial } };
  const { endpointId, token } = await ask<{ endpointId: string; token: string }>(
    http,
    'POST',
    '/api/v1/devices/enroll',
    enroll,
    `enroll ${serial}`,
  );
  return { endpointId, token, regionCode, serial };
}

/** The JSON of a 2xx; any other answer ends the set-up with the server's reason. */
function ask<T>(http: Http, method: string, path: string, options: CallOptions, what: string): Promise<T> {
  return http.call(method, path, options, async (response) => {
    if (!response.ok) throw new Error(`${what}: ${await reason(response)}`);
    return (await response.json()) as T;
  });
}
