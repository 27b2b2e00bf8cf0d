import { setMaxListeners } from 'node:events';
import { mkdirSync } from 'node:fs';
import { parseOptions, USAGE, type Options } from './args';
import { chooseDate } from './date-choice';
import { Http, Scheduler, zoneIso } from 'dalaba-agent/protocol';
import { SimClock } from './clock';
import { Device, type SimContext } from './device';
import { formatSummary, Report } from './report';
import { enrollFleet, runPool } from './setup';
import { fleetKey, loadState, saveState, type DeviceCredentials } from './state';
import { errorMessage as message, runMain } from './run-main';

// Receipts of items the end of the run cut off still get this long to reach the server.
const FINAL_FLUSH_MS = 5000;

/** The endpoint simulator: N village loudspeakers in one process, against a real server. */
async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2), process.env, Date.now());
  } catch (error) {
    process.stderr.write(`${message(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const clock = new SimClock(options.offsetMs);
  const scheduler = new Scheduler(clock);
  const report = new Report(clock);
  const run = new AbortController();
  // Every device and every call listens to the run's end.
  setMaxListeners(0, run.signal);
  const http = new Http(options.server, run.signal, scheduler, report);
  const stop = (why: string): void => {
    if (run.signal.aborted) return;
    report.log('sim', `stopping: ${why}`);
    run.abort();
  };
  const stopped = new Promise<void>((resolve) => run.signal.addEventListener('abort', () => resolve(), { once: true }));
  const onSignal = (name: string): void => {
    if (run.signal.aborted) process.exit(130);
    stop(`${name} (once more to quit without the summary)`);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  if (options.runForMs !== undefined) scheduler.after(options.runForMs, () => stop('--run-for elapsed'));
  if (options.mediaDir) mkdirSync(options.mediaDir, { recursive: true });
  const realStart = Date.now();
  report.log('sim', `simulated clock ${zoneIso(clock.now())}; playing ${options.date}; server ${options.server}`);

  let devices: Device[] = [];
  let setupFailed = false;
  try {
    const fleet = await enrollFleet(http, report, options);
    devices = await startFleet(fleet, { http, clock, scheduler, report, settings: options }, run.signal, options, stop);
  } catch (error) {
    setupFailed = true;
    report.error('setup', run.signal.aborted ? 'stopped before it finished' : message(error));
    stop('set-up failed');
  }
  await stopped;

  const deadline = AbortSignal.timeout(FINAL_FLUSH_MS);
  const unsent = await Promise.all(devices.map((device) => device.shutdown(deadline)));
  report.stats.receipts.unsent = unsent.reduce((sum, count) => sum + count, 0);
  scheduler.stop();
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  forgetRevoked(devices, options, report);

  const seconds = Number(((Date.now() - realStart) / 1000).toFixed(1));
  const heading = `dalaba sim: ${devices.length} endpoints under ${options.region}, date ${options.date}, ran ${seconds} s`;
  process.stdout.write(`${[heading, ...formatSummary(report.stats)].join('\n')}\n`);
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ server: options.server, region: options.region, date: options.date, seconds, ...report.stats })}\n`,
    );
  }
  return setupFailed ? 1 : 0;
}

/**
 * Powers the devices up, `concurrency` at a time. With --until-played the run
 * stops when the last unsettled device settles; a device counts as unsettled
 * until it has booted, so an early one cannot end the run alone.
 */
async function startFleet(
  fleet: DeviceCredentials[],
  shared: Omit<SimContext, 'progressed'>,
  run: AbortSignal,
  options: Options,
  stop: (why: string) => void,
): Promise<Device[]> {
  const unsettled = new Set<Device>();
  let booted = false;
  const sim: SimContext = {
    ...shared,
    progressed: (device) => {
      if (device.settled()) unsettled.delete(device);
      else unsettled.add(device);
      if (booted && options.untilPlayed && unsettled.size === 0) stop(`every device has aired ${options.date}`);
    },
  };
  const devices = fleet.map((credentials) => new Device(credentials, sim, run));
  devices.forEach((device) => unsettled.add(device));
  await runPool(devices.length, options.concurrency, (index) => devices[index].boot());
  booted = true;
  shared.report.log('sim', `${devices.length} devices up`);
  if (!options.dateGiven) {
    // Before anything is judged settled: devices read the run's date from these settings.
    const choice = chooseDate(
      options.date,
      shared.clock.now(),
      devices.flatMap((device) => device.held()),
      options.region,
    );
    options.date = choice.date;
    if (choice.notice) shared.report.log('sim', choice.notice);
  }
  devices.forEach((device) => sim.progressed(device));
  return devices;
}

/** A revoked token never works again; the next run enrolls a fresh device instead. */
function forgetRevoked(devices: Device[], options: Options, report: Report): void {
  const revoked = new Set(devices.filter((device) => device.revoked).map((device) => device.credentials.endpointId));
  if (revoked.size === 0) return;
  try {
    const state = loadState(options.stateFile);
    const key = fleetKey(options.server, options.region);
    state.fleets[key] = (state.fleets[key] ?? []).filter((device) => !revoked.has(device.endpointId));
    saveState(options.stateFile, state);
    report.log('sim', `removed ${revoked.size} revoked devices from ${options.stateFile}`);
  } catch (error) {
    report.error('sim', `updating ${options.stateFile}: ${message(error)}`);
  }
}

runMain(main);
