import { createHash, randomUUID } from 'node:crypto';

import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { dockCounty, SONGTAO_PLATFORM, startUpper, TONGREN_PLATFORM } from './helpers/ebd';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { settled } from './helpers/media';
import type { EbdLink } from '../src/generated/prisma/client';
import { EbdLinksRepository } from '../src/ebd/ebd-links.repository';
import { EbdReports } from '../src/ebd/ebd-reports.service';
import { EbdStateSweep } from '../src/ebd/ebd-state-sweep';
import { LocalAlertsUp } from '../src/ebd/local-alerts-up';
import type { ReportWindow } from '../src/ebd/domain/details';
import { at, children, localName, optionalText } from '../src/ebd/domain/xml-reader';
import type { ReceivedReport, UpperPlatform } from '../src/sim/upper/upper-platform';

// What the county reports up (issue 18 points 4 and 5), as the upper
// platform receives it: every package signed, each in the content the field
// expects. Messages from above are made here as the receiving side makes
// them (an alert, and an inbound ebd_message row naming its EBMID).

const UPPER_EBM_ID = '35206000000000101010101202612030007';
const UPPER_EBD_ID = '10352060000000001010101010000000000000900';
/** The EBDID of the n-th request of the upper platform (below the EBM's, so they never meet). */
const requestId = (n: number) => `10${TONGREN_PLATFORM}${String(n).padStart(16, '0')}`;
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
const text = (report: ReceivedReport, path: string) => optionalText(report.package.detail, path);
const ofType = (type: string) => (report: ReceivedReport) => report.package.header.type === type;

describe('reporting up to the upper platform', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let operator: string;
  let approver: string;
  let mediaId: string;
  let devices: Array<{ endpointId: string; token: string }>;
  let link: () => Promise<EbdLink>;
  let reports: EbdReports;

  const draft = async (body: Record<string, unknown>) => {
    const reply = await t.api.post(
      '/api/v1/emergencies',
      { title: '山洪预警', level: 1, category: 'flood', regionCodes: [DAXING], mediaId, drill: false, ...body },
      { token: operator },
    );
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const approve = async (id: string) =>
    expect((await t.api.post(`/api/v1/emergencies/${id}/approve`, undefined, { token: approver })).status).toBe(200);
  /** The message row the receiving side makes for an EBM from above (carried by package `ebdId`) that became `alertId`. */
  const fromAbove = (ebmId: string, alertId: string, ebdId: string) =>
    sql(
      t.database,
      `INSERT INTO ebd_message (id, county_code, ebm_id, direction, msg_type, emergency_id, ebd_id, reported)
       VALUES (gen_random_uuid(), $1, $2, 'inbound', 1, $3, $4, true)`,
      [SONGTAO, ebmId, alertId, ebdId],
    );
  const stateResponses = (ebmId: string) =>
    upper.received.filter((report) => ofType('EBMStateResponse')(report) && text(report, 'EBM/EBMID') === ebmId);

  beforeAll(async () => {
    upper = await startUpper();
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    operator = await userToken(t, admin, 'operator', SONGTAO);
    approver = await userToken(t, admin, 'approver', SONGTAO);
    const tts = await t.api.post('/api/v1/media/tts', { text: '大兴街道请注意，山洪预警。' }, { token: operator });
    mediaId = (await settled(t, operator, tts.body.id)).id;
    devices = [];
    for (const [index, name] of ['村口', '学校', '山脚'].entries())
      devices.push(
        await enroll(t, (await createEndpoint(t, operator, DAXING_VILLAGE, name)).enrollmentCode, `SN-DX-${index}`),
      );
    devices.push(
      await enroll(t, (await createEndpoint(t, operator, PANSHI_VILLAGE, '村委会')).enrollmentCode, 'SN-PS'),
    );
    await dockCounty(t, admin, upper);
    const links = t.app.get(EbdLinksRepository);
    link = async () => (await links.find(SONGTAO))!;
    reports = t.app.get(EbdReports);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  it('reports an EBM from above 等待播发 → 播发中 → 播发成功, with the loudspeakers that played ÷ those targeted', async () => {
    const id = await draft({ expiresAt: inSeconds(25) });
    await fromAbove(UPPER_EBM_ID, id, UPPER_EBD_ID);
    const waiting = await upper.waitFor((report) => stateResponses(UPPER_EBM_ID).includes(report));
    expect(text(waiting, 'BrdStateCode')).toBe('1');
    expect(text(waiting, 'BrdStateDesc')).toBe('等待播发');

    await approve(id);
    const broadcasting = await upper.waitFor(
      (report) => stateResponses(UPPER_EBM_ID).includes(report) && text(report, 'BrdStateCode') === '2',
    );
    // Two of the three loudspeakers of 大兴 play it; 盘石's is not targeted.
    for (const device of devices.slice(0, 2)) {
      const now = new Date().toISOString();
      const receipt = { id: randomUUID(), itemId: `emergency:${id}`, startedAt: now, endedAt: now, outcome: 'played' };
      expect(
        (await t.api.post('/api/v1/device/receipts', { receipts: [receipt] }, { token: device.token })).status,
      ).toBe(200);
    }
    const succeeded = await upper.waitFor(
      (report) => stateResponses(UPPER_EBM_ID).includes(report) && text(report, 'BrdStateCode') === '3',
      60_000,
    );
    expect(text(succeeded, 'BrdStateDesc')).toBe('播发成功');
    expect(text(succeeded, 'Coverage/CoverageRate')).toBe('0.6667');
    expect(text(succeeded, 'Coverage/AreaCode')).toBe(DAXING);
    expect(text(succeeded, 'Coverage/ResBrdStat')).toBe('1,0,0,2');
    expect(text(succeeded, 'ResBrdInfo/ResBrdItem/EBRPS/EBRID')).toBe(SONGTAO_PLATFORM);
    for (const report of [waiting, broadcasting, succeeded]) {
      expect(report.verified).toBe(true);
      expect(report.package.header).toMatchObject({
        srcEbrid: SONGTAO_PLATFORM,
        destEbrid: upper.ebrid,
        relatedEbdId: UPPER_EBD_ID,
      });
    }
    // Each state once, in order; nothing after the final one.
    expect(stateResponses(UPPER_EBM_ID).map((report) => text(report, 'BrdStateCode'))).toEqual(['1', '2', '3']);
    const [message] = await sql(t.database, 'SELECT reported_state FROM ebd_message WHERE ebm_id = $1', [UPPER_EBM_ID]);
    expect(message.reported_state).toBe(3);
  }, 120_000);

  it('answers a state request with RelatedEBD naming it, and 未处理 for a message it does not know', async () => {
    const [known, unknown] = [7, 8].map(requestId);
    await reports.answerStateRequest(await link(), UPPER_EBM_ID, known);
    await reports.answerStateRequest(await link(), '35206000000000101010101202612039999', unknown);
    const answer = await upper.waitFor((report) => report.package.header.relatedEbdId === known);
    expect(answer.verified).toBe(true);
    expect(answer.package.header.type).toBe('EBMStateResponse');
    expect([text(answer, 'EBM/EBMID'), text(answer, 'BrdStateCode')]).toEqual([UPPER_EBM_ID, '3']);
    expect(text(answer, 'Coverage/CoverageRate')).toBe('0.6667');
    const none = await upper.waitFor((report) => report.package.header.relatedEbdId === unknown);
    expect(text(none, 'BrdStateCode')).toBe('0');
    expect(at(none.package.detail, 'Coverage')).toBeUndefined();
  });

  it('sends the platform and every loudspeaker up on its intervals, with their state from heartbeats', async () => {
    for (const type of ['EBRPSInfo', 'EBRPSState', 'EBRDTInfo', 'EBRDTState']) {
      const report = await upper.waitFor(ofType(type));
      expect(report.verified).toBe(true);
    }
    const platform = await upper.waitFor(ofType('EBRPSInfo'));
    expect(text(platform, 'EBRPS/EBRID')).toBe(SONGTAO_PLATFORM);
    expect(text(platform, 'EBRPS/RelatedEBRPS/EBRID')).toBe(upper.ebrid);
    expect(text(platform, 'EBRPS/URL')).toBe(`${t.url}/api/v1/ebd/exchange`);
    expect(text(platform, 'EBRPS/EBRName')).toMatch(/应急广播平台$/);
    expect(text(await upper.waitFor(ofType('EBRPSState')), 'EBRPS/StateCode')).toBe('1');

    const info = await upper.waitFor(ofType('EBRDTInfo'));
    const terminals = children(info.package.detail, 'EBRDT');
    const endpoints = await sql<{ ebrid: string }>(t.database, 'SELECT ebrid FROM endpoint ORDER BY ebrid');
    expect(terminals.map((item) => optionalText(item, 'EBRID'))).toEqual(endpoints.map((row) => row.ebrid));
    expect(terminals.map((item) => optionalText(item, 'EBRName'))).toContain('白岩社区居民委员会村口');
    for (const item of terminals) {
      expect(optionalText(item, 'RelatedEBRPS/EBRID')).toBe(SONGTAO_PLATFORM);
      expect(optionalText(item, 'RptType')).toBe('Sync');
    }

    // One loudspeaker says it is playing; terminal state comes every second from now on.
    const heartbeat = await t.api.post(
      '/api/v1/device/heartbeat',
      { volume: 80, playing: true },
      {
        token: devices[0].token,
      },
    );
    expect(heartbeat.status).toBe(200);
    await sql(t.database, 'UPDATE ebd_link SET terminal_state_seconds = 1');
    const [playing] = await sql<{ ebrid: string }>(t.database, 'SELECT ebrid FROM endpoint WHERE id = $1', [
      devices[0].endpointId,
    ]);
    const states = await upper.waitFor(
      (report) =>
        ofType('EBRDTState')(report) &&
        children(report.package.detail, 'EBRDT').some(
          (item) => optionalText(item, 'EBRID') === playing.ebrid && optionalText(item, 'StateCode') === '5',
        ),
    );
    expect(states.verified).toBe(true);
    const codes = children(states.package.detail, 'EBRDT').map((item) => optionalText(item, 'StateCode'));
    // The others have not been heard from: off.
    expect(codes.sort()).toEqual(['2', '2', '2', '5']);
  }, 60_000);

  it('answers OMD requests for terminals in full and incrementally, and with an empty report for what it has none of', async () => {
    const since = new Date(Date.now() - 1000);
    await sql(t.database, "UPDATE endpoint SET created_at = created_at - interval '1 hour'");
    const added = await createEndpoint(t, operator, PANSHI_VILLAGE, '新装喇叭');
    expect(
      (await t.api.post(`/api/v1/endpoints/${devices[3].endpointId}/revoke`, undefined, { token: operator })).status,
    ).toBe(200);
    const window = (type: ReportWindow['type']): ReportWindow => ({ start: since, end: new Date(), type });
    const [fullId, incrementalId, stationsId] = [41, 42, 43].map(requestId);
    await reports.answerOmd(await link(), { type: 'EBRDTInfo', window: window('Full') }, fullId);
    await reports.answerOmd(await link(), { type: 'EBRDTInfo', window: window('Incremental') }, incrementalId);
    await reports.answerOmd(await link(), { type: 'EBRSTInfo' }, stationsId);

    const full = await upper.waitFor((report) => report.package.header.relatedEbdId === fullId);
    expect(full.verified).toBe(true);
    expect(text(full, 'Params/RptType')).toBe('Full');
    // Every current loudspeaker: the revoked one is gone, the new one is there.
    expect(children(full.package.detail, 'EBRDT')).toHaveLength(4);

    const incremental = await upper.waitFor((report) => report.package.header.relatedEbdId === incrementalId);
    expect(text(incremental, 'Params/RptType')).toBe('Incremental');
    const [revoked, fresh] = await sql<{ ebrid: string }>(
      t.database,
      'SELECT ebrid FROM endpoint WHERE id = ANY($1::uuid[]) ORDER BY revoked_at NULLS LAST',
      [[devices[3].endpointId, added.id]],
    );
    const changes = children(incremental.package.detail, 'EBRDT').map((item) => [
      optionalText(item, 'EBRID'),
      optionalText(item, 'RptType'),
    ]);
    expect(changes.sort()).toEqual(
      [
        [revoked.ebrid, 'Delete'],
        [fresh.ebrid, 'Sync'],
      ].sort(),
    );

    const stations = await upper.waitFor((report) => report.package.header.relatedEbdId === stationsId);
    expect(stations.package.header.type).toBe('EBRSTInfo');
    expect(localName(stations.package.detail)).toBe('EBRSTInfo');
    expect(children(stations.package.detail)).toEqual([]);
  });

  it('reports an approved local alert up as an EBM of this platform with its audio, then its states', async () => {
    await sql(t.database, 'UPDATE ebd_link SET report_local_alerts = true');
    const id = await draft({
      title: '大风演练',
      level: 2,
      category: 'weather',
      drill: true,
      expiresAt: inSeconds(600),
    });
    await approve(id);
    const sent = await upper.waitFor(ofType('EBM'));
    expect(sent.verified).toBe(true);
    const ebmId = text(sent, 'EBMID')!;
    expect(ebmId).toMatch(new RegExp(`^${SONGTAO_PLATFORM}\\d{8}0001$`));
    expect(ebmId).toHaveLength(35);
    expect(text(sent, 'MsgBasicInfo/MsgType')).toBe('3');
    expect(text(sent, 'MsgBasicInfo/Severity')).toBe('2');
    expect(text(sent, 'MsgBasicInfo/EventType')).toBe('11B00');
    expect(text(sent, 'MsgBasicInfo/SenderCode')).toBe(SONGTAO_PLATFORM);
    expect(text(sent, 'MsgContent/MsgTitle')).toBe('大风演练');
    expect(text(sent, 'MsgContent/AreaCode')).toBe(DAXING);
    const audioName = text(sent, 'MsgContent/Auxiliary/AuxiliaryDesc')!;
    const audio = sent.package.resources.get(audioName)!;
    expect(audioName).toMatch(/^EBDR_[0-9a-f]{64}\.mp3$/);
    expect(text(sent, 'MsgContent/Auxiliary/AuxiliaryType')).toBe('2');
    expect(Number(text(sent, 'MsgContent/Auxiliary/Size'))).toBe(audio.length);
    expect(text(sent, 'MsgContent/Auxiliary/Digest')).toBe(createHash('sm3').update(audio).digest('hex'));

    const state = await upper.waitFor(
      (report) => stateResponses(ebmId).includes(report) && text(report, 'BrdStateCode') === '2',
    );
    expect(state.package.header.relatedEbdId).toBe(sent.package.header.ebdId);
    // The alert's approval went up once.
    expect(upper.received.filter(ofType('EBM'))).toHaveLength(1);
  });

  it('answers an EBMBrdLog request with every broadcast of the window, from above and local, by its EBMID', async () => {
    const logId = requestId(51);
    await reports.answerOmd(await link(), { type: 'EBMBrdLog' }, logId);
    const log = await upper.waitFor((report) => report.package.header.relatedEbdId === logId);
    expect(log.verified).toBe(true);
    const items = children(log.package.detail, 'EBMBrdItem').map((item) => ({
      ebmId: optionalText(item, 'EBM/EBMID'),
      title: optionalText(item, 'EBM/MsgContent/MsgTitle'),
      state: optionalText(item, 'BrdStateCode'),
      rate: optionalText(item, 'Coverage/CoverageRate'),
    }));
    const local = upper.received.find(ofType('EBM'))!;
    expect(items).toEqual([
      { ebmId: UPPER_EBM_ID, title: '山洪预警', state: '3', rate: '0.6667' },
      { ebmId: text(local, 'EBMID'), title: '大风演练', state: '2', rate: '0' },
    ]);
    expect(text(log, 'Params/RptStartTime')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('sends each change and each local EBM once however many sweeps race for it', async () => {
    const waitingId = await draft({ title: '滑坡预警', category: 'geological', expiresAt: inSeconds(600) });
    const ebmId = '35206000000000101010101202612030008';
    await fromAbove(ebmId, waitingId, requestId(901));
    const localId = await draft({ title: '暴雨预警', category: 'weather', expiresAt: inSeconds(600) });
    await approve(localId);
    // Every API process sweeps every second: here three more race the reporter's own.
    const [states, localAlerts] = [t.app.get(EbdStateSweep), t.app.get(LocalAlertsUp)];
    await Promise.all([1, 2, 3].flatMap(() => [states.sweep(), localAlerts.sweep()]));
    await upper.waitFor((report) => stateResponses(ebmId).includes(report));
    const local = await upper.waitFor(
      (report) => ofType('EBM')(report) && text(report, 'MsgContent/MsgTitle') === '暴雨预警',
    );
    // Long enough for the reporter (every second) to have sent anything again, had it been going to.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(stateResponses(ebmId).map((report) => text(report, 'BrdStateCode'))).toEqual(['1']);
    expect(
      upper.received.filter((report) => ofType('EBM')(report) && text(report, 'MsgContent/MsgTitle') === '暴雨预警'),
    ).toHaveLength(1);
    const localEbmId = text(local, 'EBMID')!;
    expect(localEbmId).toHaveLength(35);
    expect(localEbmId).not.toBe(text(upper.received.find(ofType('EBM'))!, 'EBMID'));
    const [message] = await sql(t.database, 'SELECT count(*)::int AS n FROM ebd_message WHERE emergency_id = $1', [
      localId,
    ]);
    expect(message.n).toBe(1);
  });

  it('shows the link in /health without counting it in the overall status', async () => {
    const health = await t.api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.ebdLinks).toEqual([{ countyCode: SONGTAO, status: 'up', linkUpAt: expect.any(String) }]);
  });
});
