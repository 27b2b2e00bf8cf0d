import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Device requests through wrk, each the next device's (a Lua script cycles
// through their tokens). wrk is a C client: a load generator in Node on the
// same two cores takes a core's worth of work per request for itself
// (parsing, promises, garbage), which slows the servers it loads alike and
// squeezes their ratio towards 1 (autocannon, which bench:pull used before,
// reported 0.89 where wrk measured 0.66); wrk needs a fraction of that, so
// the servers' own cost shows. wrk's Lua has no per-connection hook, so each
// wrk thread takes its own share of the devices. Runs either once through
// every device (stopping when each thread has had as many answers as it has
// devices; a connection whose request is answered while slower ones are
// still out goes round again, so a few devices are asked twice and as many
// answers are missing from others) or for a duration, at full speed or paced
// to a rate (each connection waits between its requests).

/** Stops a bench, saying so, when wrk is not installed. */
export function requireWrk(): void {
  if (spawnSync('wrk', ['-v'], { encoding: 'utf8' }).error)
    throw new Error('wrk is not installed (Debian/Ubuntu: apt-get install wrk); the benches load servers with it');
}

export interface WrkDevice {
  token: string;
  /** Sent as If-None-Match when set. */
  etag?: string;
}

export interface WrkPlan {
  /** Origin and path with query, e.g. http://127.0.0.1:8080/api/v1/device/playlist?date=2026-12-04. */
  url: string;
  method?: 'GET' | 'POST';
  /** A JSON body, sent by every request. */
  json?: unknown;
  devices: WrkDevice[];
  connections: number;
  threads: number;
  /** The most it may take; a run through every device stops before when done. */
  seconds: number;
  /** Once through every device, not for the whole duration. */
  once?: boolean;
  /** Requests a second for all connections together; full speed when absent. */
  ratePerSecond?: number;
  /** Keep each answering device's ETag (the 200s' body names its endpoint). */
  etags?: boolean;
}

export interface WrkFigures {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** HTTP status → answers. */
  statuses: Record<string, number>;
  /** Connect, read and write errors and timeouts. */
  errors: number;
  /** How many of the devices were sent a request at least once. */
  reached: number;
  /** Endpoint id → the ETag it was answered with (with `etags`). */
  etags: Map<string, string>;
}

const luaString = (text: string) => JSON.stringify(text);
/** What a Lua thread writes to stderr when it has been once through its devices. */
const THREAD_DONE = 'wrk-thread-done';

function script(plan: WrkPlan, tokensFile: string, etagsFile: string): string {
  const body = plan.json === undefined ? undefined : JSON.stringify(plan.json);
  const delayMs = plan.ratePerSecond ? (plan.connections * 1000) / plan.ratePerSecond : undefined;
  return `
local ffi = require("ffi")
ffi.cdef("struct timeval { long tv_sec; long tv_usec; }; int gettimeofday(struct timeval *tv, void *tz);")
local tv = ffi.new("struct timeval")
local function now()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1e6 + tonumber(tv.tv_usec)
end

local threads, count = {}, 0
function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

-- Globals, so that done() can read them: thread:get sees only those.
statuses, etags, started, finished, sent, share = {}, {}, 0, 0, 0, 0
local requests, answered = {}, 0
function init(args)
  local threadCount, i = tonumber(args[1]), 0
  for line in io.lines(${luaString(tokensFile)}) do
    if i % threadCount == id then
      local token, etag = line:match("^(%S+)\\t(%S+)$")
      local headers = { ["Authorization"] = "Bearer " .. token }
      ${body === undefined ? '' : `headers["Content-Type"] = "application/json"`}
      if etag ~= "-" then headers["If-None-Match"] = etag end
      table.insert(requests, wrk.format(${luaString(plan.method ?? 'GET')}, nil, headers, ${body === undefined ? 'nil' : luaString(body)}))
    end
    i = i + 1
  end
  share = #requests
end

function request()
  if started == 0 then started = now() end
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

${delayMs === undefined ? '' : `function delay() return ${delayMs.toFixed(3)} end`}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  ${
    plan.etags
      ? `if status == 200 then
    local endpoint = body:match('"endpointId":"([^"]+)"')
    if endpoint then etags[endpoint] = headers["etag"] or headers["ETag"] end
  end`
      : ''
  }
  ${
    plan.once
      ? `if answered == #requests then
    finished = now()
    io.stderr:write("${THREAD_DONE}\\n")
    wrk.thread:stop()
  end`
      : ''
  }
end

function done(summary, latency, _)
  local all, out, first, last, reached = {}, io.open(${luaString(etagsFile)}, "w"), math.huge, 0, 0
  for _, thread in ipairs(threads) do
    first = math.min(first, thread:get("started"))
    -- A thread short of answers (errors, timeouts) ran the whole duration: so did the run.
    last = thread:get("finished") > 0 and math.max(last, thread:get("finished")) or math.huge
    -- A thread goes through its devices in order: it has reached min(sent, its share) of them.
    reached = reached + math.min(thread:get("sent"), thread:get("share"))
    for status, n in pairs(thread:get("statuses")) do all[status] = (all[status] or 0) + n end
    for endpoint, etag in pairs(thread:get("etags")) do out:write(endpoint, "\\t", etag, "\\n") end
  end
  out:close()
  local parts = {}
  for status, n in pairs(all) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local e = summary.errors
  -- Once through every device: from the first request to the last thread's last answer, not wrk's whole run.
  local us = (last > 0 and last < math.huge) and last - first or summary.duration
  io.write(string.format('WRK {"requests":%d,"us":%d,"p50":%d,"p99":%d,"errors":%d,"reached":%d,"statuses":{%s}}\\n',
    summary.requests, us, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, reached, table.concat(parts, ",")))
end
`;
}

/** Runs wrk over the devices and answers its figures. */
export async function wrkDevices(plan: WrkPlan): Promise<WrkFigures> {
  const threads = Math.max(1, Math.min(plan.threads, plan.connections, plan.devices.length));
  const work = mkdtempSync(join(tmpdir(), 'dalaba-wrk-'));
  try {
    const tokensFile = join(work, 'tokens');
    const etagsFile = join(work, 'etags');
    writeFileSync(tokensFile, plan.devices.map(({ token, etag }) => `${token}\t${etag ?? '-'}\n`).join(''));
    writeFileSync(join(work, 'devices.lua'), script(plan, tokensFile, etagsFile));
    const args = ['-t', String(threads), '-c', String(plan.connections), '-d', `${plan.seconds}s`, '--timeout', '10s'];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', [...args, '-s', join(work, 'devices.lua'), plan.url, '--', String(threads)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let done = 0;
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      // wrk waits out its duration even when every thread has stopped; an interrupt makes it report at once.
      child.stderr.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        done += text.split(THREAD_DONE).length - 1;
        if (done === threads) child.kill('SIGINT');
        const rest = text.replaceAll(`${THREAD_DONE}\n`, '');
        if (rest) process.stderr.write(rest);
      });
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with code ${code}: ${stdout}`)),
      );
    });
    const line = output.split('\n').find((text) => text.startsWith('WRK '));
    if (!line) throw new Error(`wrk printed no figures: ${output}`);
    const figures = JSON.parse(line.slice(4)) as {
      requests: number;
      us: number;
      p50: number;
      p99: number;
      errors: number;
      reached: number;
      statuses: Record<string, number>;
    };
    const seconds = figures.us / 1e6;
    const etags = new Map(
      readFileSync(etagsFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((entry) => entry.split('\t') as [string, string]),
    );
    return {
      requests: figures.requests,
      seconds,
      requestsPerSecond: figures.requests / seconds,
      p50Ms: figures.p50 / 1000,
      p99Ms: figures.p99 / 1000,
      statuses: figures.statuses,
      errors: figures.errors,
      reached: figures.reached,
      etags,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
