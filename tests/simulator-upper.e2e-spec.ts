import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatRate } from '../src/ebd/domain/details';
import { writeKeyFile } from '../src/ebd/domain/key-file';
import { generateSm2KeyPair } from '../src/ebd/domain/sm2';
import type { PrintedEvent } from '../src/sim/upper/print';
import { ADMIN, startApp, type TestApp } from './helpers/app';
import { dockCounty, SONGTAO_PLATFORM, TONGREN_PLATFORM } from './helpers/ebd';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  SONGTAO,
} from './helpers/factories';
import { makeTone } from './helpers/media';
import { freePort, spawnProcess, type Spawned, waitFor } from './helpers/processes';

const SIM = join(__dirname, '../dist/sim/main.js');
const SIM_UPPER = join(__dirname, '../dist/sim/upper/main.js');
const TITLE = '大兴街道防汛紧急通知';

/** A line the upper simulator printed with --json: a package sent or received, or what it says of itself. */
type Printed = Omit<PrintedEvent, 'event' | 'content'> & {
  event: PrintedEvent['event'] | 'info';
  content: Record<string, string>;
  publicKey?: string;
  countyKey?: string | null;
};

/** The JSON lines the upper simulator printed, in order. */
const printed = (upper: Spawned): Printed[] =>
  upper
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));

const states = (upper: Spawned) =>
  printed(upper).filter((event) => event.event === 'received' && event.type === 'EBMStateResponse');

// The upper-platform simulator as the real CLI against the real app and the
// device simulator's loudspeakers: a city sends an EBM with MP3 audio for one
// township of Songtao; it airs there only, and the city hears 播发中 then 播发成功
// with the share of the township's loudspeakers that played, every report signed.
describe('the upper-platform simulator against the real service and simulated loudspeakers', () => {
  let t: TestApp;
  let admin: string;
  let work: string;
  let keyFile: string;
  let publicKey: string;
  let port: number;
  let countyKey: string;
  /** The EBM the first test sends, and the package that carried it. */
  let sentEbm: Printed | undefined;

  beforeAll(async () => {
    t = await startApp();
    admin = await adminToken(t);
    await importSongtao(t, admin);
    work = mkdtempSync(join(tmpdir(), 'dalaba-sim-upper-'));
    // The city's platform: its key file and port, and the county docked with it.
    keyFile = join(work, 'tongren.key');
    const pair = generateSm2KeyPair();
    writeFileSync(keyFile, writeKeyFile(pair.privateKey), { mode: 0o600 });
    publicKey = pair.publicKey;
    port = await freePort();
    const link = await dockCounty(
      t,
      admin,
      { ebrid: TONGREN_PLATFORM, url: `http://127.0.0.1:${port}/ebd`, publicKey, countyPublicKey: undefined },
      { heartbeatSeconds: 5 },
    );
    expect(link.ebrid).toBe(SONGTAO_PLATFORM);
    countyKey = link.publicKey!;
  });
  afterAll(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  const simulate = (region: string, endpoints: number) =>
    spawnProcess(
      process.execPath,
      [
        ...[SIM, '--server', t.url, '--endpoints', String(endpoints), '--region', region],
        ...['--username', ADMIN.username, '--password', ADMIN.password, '--state', join(work, `${region}.json`)],
        ...['--heartbeat-every', '5s', '--run-for', '150s', '--json'],
      ],
      process.env,
    );

  /** The real CLI as the city runs it, on the port the county reports to; it learns the county from its link. */
  const upperCli = (command: string, ...options: string[]) =>
    spawnProcess(
      process.execPath,
      [
        ...[
          SIM_UPPER,
          command,
          '--json',
          '--key',
          keyFile,
          '--port',
          String(port),
          '--state',
          join(work, 'upper.json'),
        ],
        ...['--server', t.url, '--county-code', SONGTAO, '--token', admin, '--wait', '100', ...options],
      ],
      process.env,
    );

  it("serves: prints the county's heartbeats, verified with the key it read from the county's link", async () => {
    const serve = upperCli('serve');
    const heartbeat = await waitFor('a heartbeat from the county', async () =>
      printed(serve).find((event) => event.event === 'received' && event.type === 'ConnectionCheck'),
    );
    expect(heartbeat).toMatchObject({ verified: true, ebdId: `01${SONGTAO_PLATFORM}${'0'.repeat(16)}` });
    expect(printed(serve).find((event) => event.event === 'info' && 'countyKey' in event)?.countyKey).toBe(countyKey);
    await serve.stop();
    expect(await serve.exited).toBe(0);
  });

  it("airs a city's EBM on the township it names only, and reports 播发中 then 播发成功 with the coverage, signed", async () => {
    const daxing = simulate(DAXING, 2);
    const panshi = simulate(PANSHI, 1);
    // A third loudspeaker of the township, installed but switched off: targeted, never played.
    const off = await createEndpoint(t, admin, DAXING_VILLAGE, '断电的喇叭');
    await enroll(t, off.enrollmentCode, 'SN-OFF');
    await waitFor('every simulated device to hold its event stream', async () =>
      daxing.output().split('events: connected').length === 3 && panshi.output().includes('events: connected')
        ? true
        : undefined,
    );

    const audio = join(work, '防汛.mp3');
    makeTone(audio, 4);

    const upper = upperCli(
      'ebm',
      ...['--area', DAXING, '--title', TITLE, '--severity', '2', '--audio', audio, '--duration', '25s'],
    );
    const sent = await waitFor('the county to answer the EBM', async () =>
      printed(upper).find((event) => event.event === 'sent'),
    );
    expect(printed(upper).find((event) => event.event === 'info' && 'publicKey' in event)).toMatchObject({
      publicKey,
    });
    expect(sent.problem).toBeUndefined();
    expect(sent).toMatchObject({ type: 'EBM', resultCode: 1, verified: true });
    const ebmId = sent.content.EBMID;
    expect(ebmId).toMatch(new RegExp(`^${TONGREN_PLATFORM}\\d{8}0001$`));

    expect(await upper.exited).toBe(0);
    const reported = states(upper).filter((event) => event.content.EBMID === ebmId);
    const codes = reported.map((event) => event.content.BrdStateCode);
    expect(codes).toContain('2');
    expect(codes.at(-1)).toBe('3');
    expect(codes.indexOf('2')).toBeLessThan(codes.indexOf('3'));
    expect(reported.every((event) => event.verified === true)).toBe(true);
    expect(reported.every((event) => event.relatedEbdId === sent.ebdId)).toBe(true);

    const alerts = (await t.api.get('/api/v1/emergencies', { token: admin })).body.items as Array<{
      id: string;
      title: string;
      regionCodes: string[];
    }>;
    const alert = alerts.find((candidate) => candidate.title.includes(TITLE));
    expect(alert?.regionCodes).toEqual([DAXING]);
    const delivery = (await t.api.get(`/api/v1/emergencies/${alert!.id}/delivery`, { token: admin })).body;
    expect(delivery.totals).toMatchObject({ endpoints: 3, played: 2 });
    // Per village: every one of them in the township.
    expect(delivery.regions.map((region: { code: string }) => region.code.slice(0, 9))).toEqual(
      delivery.regions.map(() => DAXING.slice(0, 9)),
    );
    expect(delivery.notReached.map((endpoint: { name: string }) => endpoint.name)).toEqual(['断电的喇叭']);
    const final = reported.at(-1)!.content;
    expect(final.CoverageRate).toBe(formatRate(2 / 3));
    expect(final.CoverageRate).toBe('0.6667');
    expect(final.AreaCode).toContain(DAXING);

    // The township's running loudspeakers were told (and played, above); the next township's heard nothing.
    expect(daxing.output()).toContain(alert!.id);
    expect(panshi.output()).not.toContain('event emergency');
    sentEbm = sent;
  }, 150_000);

  it("answers the city's state request and O&M request with separate signed packages, and a heartbeat", async () => {
    const ebmId = sentEbm!.content.EBMID;
    const state = upperCli('state', '--ebm', ebmId);
    expect(await state.exited).toBe(0);
    const [request] = printed(state).filter((event) => event.event === 'sent');
    expect(request).toMatchObject({ type: 'EBMStateRequest', resultCode: 1, verified: true });
    expect(states(state).find((event) => event.relatedEbdId === request.ebdId)).toMatchObject({
      verified: true,
      content: { EBMID: ebmId, BrdStateCode: '3', CoverageRate: '0.6667' },
    });

    const omd = upperCli('omd', '--type', 'EBRDTInfo', '--full');
    expect(await omd.exited).toBe(0);
    const [asked] = printed(omd).filter((event) => event.event === 'sent');
    expect(asked).toMatchObject({ type: 'OMDRequest', resultCode: 1 });
    const terminals = printed(omd).find((event) => event.type === 'EBRDTInfo' && event.relatedEbdId === asked.ebdId);
    // Every loudspeaker of the county: both townships' simulated ones and the one switched off.
    expect(terminals).toMatchObject({ verified: true, content: { EBRDT: 4 } });

    const heartbeat = upperCli('heartbeat');
    expect(await heartbeat.exited).toBe(0);
    expect(printed(heartbeat).find((event) => event.event === 'sent')).toMatchObject({
      type: 'ConnectionCheck',
      ebdId: `01${TONGREN_PLATFORM}${'0'.repeat(16)}`,
      resultCode: 1,
      verified: true,
    });
  }, 120_000);

  it('cancels an EBM it sent: the alert stops and the city hears 播发取消', async () => {
    const ebm = upperCli('ebm', '--area', PANSHI, '--title', '盘石镇停水通知', '--desc', '明天停水', '--wait', '0');
    expect(await ebm.exited).toBe(0);
    const ebmId = printed(ebm).find((event) => event.event === 'sent')!.content.EBMID;

    const cancel = upperCli('cancel', '--ebm', ebmId);
    expect(await cancel.exited).toBe(0);
    expect(printed(cancel).find((event) => event.event === 'sent')).toMatchObject({
      type: 'EBM',
      resultCode: 1,
      content: { MsgType: '2', RelatedEBMID: ebmId },
    });
    // The states the county could not deliver while no one listened (等待播发, maybe 播发中) come first.
    expect(
      states(cancel)
        .filter((event) => event.content.EBMID === ebmId)
        .at(-1),
    ).toMatchObject({
      verified: true,
      content: { BrdStateCode: '5', BrdStateDesc: '播发取消' },
    });
    const alerts = (await t.api.get('/api/v1/emergencies', { token: admin })).body.items as Array<{
      title: string;
      status: string;
    }>;
    expect(alerts.find((alert) => alert.title.includes('盘石镇停水通知'))?.status).toBe('cancelled');
  }, 120_000);
});
