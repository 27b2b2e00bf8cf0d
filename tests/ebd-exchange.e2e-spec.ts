import { connectionCheck, ebm, type EbmMessage, ebmStateRequest, omdRequest } from '../src/ebd/domain/details';
import { readEbm } from '../src/ebd/domain/ebm';
import { openPackage } from '../src/ebd/domain/received';
import type { SealedPackage } from '../src/ebd/domain/seal';
import { packTar, unpackTar } from '../src/ebd/domain/tar';
import { UpperPlatform } from '../src/sim/upper/upper-platform';
import { startApp, type TestApp } from './helpers/app';
import { dockCounty, SONGTAO_PLATFORM } from './helpers/ebd';
import { ebmFor, mp3Tone, postRaw, sm3Hex, startKeyedUpper } from './helpers/ebd-packages';
import {
  adminToken,
  createEndpoint,
  DAXING,
  DAXING_VILLAGE,
  enroll,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { countyDate } from '../src/kernel/county-time';
import { waitFor } from './helpers/processes';
import { sql } from './helpers/databases';

describe('packages from the upper platform: EBMs become alerts', () => {
  let t: TestApp;
  let upper: UpperPlatform;
  let upperKey: string;
  let admin: string;
  let exchangeUrl: string;
  let daxingDevice: { token: string };
  let panshiDevice: { token: string };

  beforeAll(async () => {
    ({ upper, privateKey: upperKey } = await startKeyedUpper());
    t = await startApp();
    exchangeUrl = `${t.url}/api/v1/ebd/exchange`;
    admin = await adminToken(t);
    await importSongtao(t, admin);
    await dockCounty(t, admin, upper);
    daxingDevice = await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE)).enrollmentCode, 'SN-EBD-1');
    panshiDevice = await enroll(t, (await createEndpoint(t, admin, PANSHI_VILLAGE)).enrollmentCode, 'SN-EBD-2');
  });
  afterAll(async () => {
    await t?.close();
    await upper?.close();
  });

  async function send(sealed: SealedPackage, options: { partName?: string; body?: Buffer } = {}, from = upper) {
    const sent = await from.post(exchangeUrl, sealed, options);
    expect(sent.status).toBe(200);
    expect(sent.answer?.verified).toBe(true);
    return sent.answer!;
  }
  const opened = new Map<SealedPackage, Awaited<ReturnType<typeof openPackage>>>();
  const audioOf = new Map<string, Buffer>();
  const ebmIdOf = (sealed: SealedPackage) => readEbm(opened.get(sealed)!.detail).ebmId;
  async function sealEbm(areaCodes: string[], overrides: Partial<EbmMessage> = {}) {
    const resources = overrides.audio ? [{ name: overrides.audio.name, data: audioOf.get(overrides.audio.name)! }] : [];
    const sealed = await upper.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(upper.ebrid, areaCodes, overrides), { resources });
    opened.set(sealed, await openPackage(sealed.tar, 1 << 26));
    return sealed;
  }

  const alertOf = async (ebmId: string) => {
    const list = await t.api.get(`/api/v1/emergencies?limit=100`, { token: admin });
    const trails = await Promise.all(
      list.body.items.map(async (item: { id: string }) => ({
        item,
        trail: (await t.api.get(`/api/v1/audit?entity=emergency&id=${item.id}`, { token: admin })).body.entries,
      })),
    );
    return trails.filter(({ trail }) => trail.some((entry: any) => entry.details?.ebmId === ebmId));
  };
  const playlist = async (device: { token: string }) =>
    (await (
      await fetch(`${t.url}/api/v1/device/playlist?date=${countyDate(new Date())}`, {
        headers: { authorization: `Bearer ${device.token}` },
      })
    ).json()) as { items: Array<{ id: string; kind: string }> };
  const statusOf = async (id: string) => (await t.api.get(`/api/v1/emergencies/${id}`, { token: admin })).body;

  it('an EBM with MP3 audio for one township airs there only, approved by the upper platform', async () => {
    const audio = mp3Tone(2);
    audioOf.set('EBDR_rain.mp3', audio);
    const sealed = await sealEbm([DAXING, '520627000000'], {
      audio: { name: 'EBDR_rain.mp3', size: audio.length, digest: sm3Hex(audio) },
    });
    const answer = await send(sealed);
    expect(answer.resultCode).toBe(1);
    const [{ item, trail }] = await alertOf(ebmIdOf(sealed));
    expect(item).toMatchObject({
      regionCodes: [DAXING],
      level: 2,
      category: 'weather',
      drill: false,
      approvedById: null,
    });
    const active = await waitFor(
      'the alert to go live',
      async () => {
        const alert = await statusOf(item.id);
        return alert.status === 'active' ? alert : undefined;
      },
      60_000,
    );
    expect(active.regionCodes).toEqual([DAXING]);
    const media = (await t.api.get(`/api/v1/media/${item.mediaId}`, { token: admin })).body;
    expect(media).toMatchObject({ source: 'ebd', status: 'ready' });
    // The township's loudspeakers play it; the other township's do not.
    await waitFor('the preempted playlist', async () =>
      (await playlist(daxingDevice)).items.some((entry) => entry.id === `emergency:${item.id}`) ? true : undefined,
    );
    expect((await playlist(panshiDevice)).items.some((entry) => entry.kind === 'emergency')).toBe(false);
    // Approved at once, it went live only once its audio was ready.
    expect(Date.parse(active.activatedAt)).toBeGreaterThanOrEqual(Date.parse(media.readyAt));
    expect(trail[0]).toMatchObject({ action: 'drafted', details: { ebmId: ebmIdOf(sealed) } });
    expect(trail[1]).toMatchObject({
      action: 'approved',
      actor: null,
      details: { ebmId: ebmIdOf(sealed), by: 'upper platform', upperEbrid: upper.ebrid },
    });

    // The sender's retry of the same package, and the same EBMID in a new package, change nothing.
    expect((await send(sealed)).resultCode).toBe(1);
    const again = await upper.seal(SONGTAO_PLATFORM, 'EBM', ebm(messageOf(sealed)));
    expect((await send(again)).resultCode).toBe(1);
    expect(await alertOf(ebmIdOf(sealed))).toHaveLength(1);

    // A state request for it is taken (its answer follows through the outbox); one for a message nobody sent is 3.
    const request = await upper.seal(SONGTAO_PLATFORM, 'EBMStateRequest', ebmStateRequest(ebmIdOf(sealed)));
    expect((await send(request)).resultCode).toBe(1);
    const unknown = await upper.seal(
      SONGTAO_PLATFORM,
      'EBMStateRequest',
      ebmStateRequest(`${upper.ebrid}202001010001`),
    );
    expect((await send(unknown)).resultCode).toBe(3);

    // The cancel names it in RelatedInfo.
    const cancel = await sealEbm([DAXING], { msgType: 2, relatedEbmId: ebmIdOf(sealed) });
    expect((await send(cancel)).resultCode).toBe(1);
    expect((await statusOf(item.id)).status).toBe('cancelled');
    const cancelTrail = (await t.api.get(`/api/v1/audit?entity=emergency&id=${item.id}`, { token: admin })).body
      .entries;
    expect(cancelTrail.at(-1)).toMatchObject({
      action: 'cancelled',
      details: { ebmId: ebmIdOf(cancel), reason: 'upper platform cancel' },
    });
    // Cancelling it again changes nothing; a cancel of a message nobody sent is 3.
    expect((await send(await sealEbm([DAXING], { msgType: 2, relatedEbmId: ebmIdOf(sealed) }))).resultCode).toBe(1);
    const stray = await sealEbm([DAXING], { msgType: 2, relatedEbmId: `${upper.ebrid}202001010002` });
    expect((await send(stray)).resultCode).toBe(3);
  }, 90_000);

  it('without audio, the title and description are spoken; a drill (MsgType 3) is marked a drill', async () => {
    const sealed = await sealEbm([PANSHI], { msgType: 3, severity: 0, eventType: '11C01' });
    expect((await send(sealed, { partName: 'upfile' })).resultCode).toBe(1);
    const [{ item }] = await alertOf(ebmIdOf(sealed));
    expect(item).toMatchObject({ drill: true, level: 4, category: 'earthquake', regionCodes: [PANSHI] });
    expect(item.text).toBe('暴雨橙色预警。请注意防范强降雨和山洪');
    const media = (await t.api.get(`/api/v1/media/${item.mediaId}`, { token: admin })).body;
    expect(media.source).toBe('tts');
    // A cancel naming the message by its own EBMID ends it too.
    const cancel = await upper.seal(SONGTAO_PLATFORM, 'EBM', ebm({ ...messageOf(sealed), msgType: 2 }));
    expect((await send(cancel)).resultCode).toBe(1);
    expect((await statusOf(item.id)).status).toBe('cancelled');
  });

  it('the same EBM on several requests at once makes one alert', async () => {
    const sealed = await sealEbm([DAXING]);
    const answers = await Promise.all([send(sealed), send(sealed), send(sealed)]);
    expect(answers.map((answer) => answer.resultCode)).toEqual([1, 1, 1]);
    expect(await alertOf(ebmIdOf(sealed))).toHaveLength(1);
  });

  it("a message whose process died before its alert was made is taken afresh by the sender's retry", async () => {
    const sealed = await sealEbm([DAXING]);
    // What a process leaves when it dies between claiming the EBMID and making the alert, two minutes ago.
    await sql(
      t.database,
      `INSERT INTO ebd_message (id, county_code, ebm_id, direction, msg_type, ebd_id, created_at)
       VALUES (gen_random_uuid(), $1, $2, 'inbound', 1, $3, now() - interval '2 minutes')`,
      [SONGTAO, ebmIdOf(sealed), opened.get(sealed)!.header.ebdId],
    );
    expect((await send(sealed)).resultCode).toBe(1);
    expect(await alertOf(ebmIdOf(sealed))).toHaveLength(1);
    expect((await send(sealed)).resultCode).toBe(1);
    expect(await alertOf(ebmIdOf(sealed))).toHaveLength(1);
  });

  it('accepts the older signature layout, a raw tar body and an unsigned heartbeat', async () => {
    const older = await UpperPlatform.start({ ebrid: upper.ebrid, privateKey: upperKey, layout: 'cert_time' });
    try {
      older.countyPublicKey = upper.countyPublicKey;
      const heartbeat = await older.seal(SONGTAO_PLATFORM, 'ConnectionCheck', connectionCheck(new Date()));
      expect((await send(heartbeat, {}, older)).resultCode).toBe(1);
      const sealed = await older.seal(SONGTAO_PLATFORM, 'EBM', ebmFor(upper.ebrid, [SONGTAO]));
      expect((await send(sealed, {}, older)).resultCode).toBe(1);
    } finally {
      await older.close();
    }
    const heartbeat = await upper.seal(SONGTAO_PLATFORM, 'ConnectionCheck', connectionCheck(new Date()));
    const unsigned = await packTar((await unpackTar(heartbeat.tar)).filter((file) => !file.name.startsWith('EBDS_')));
    expect((await send(heartbeat, { body: unsigned })).resultCode).toBe(1);
    const raw = await postRaw(t, heartbeat.tar);
    expect(raw).toMatchObject({ status: 200, resultCode: 1 });
    expect(raw.answer.header).toMatchObject({ srcEbrid: SONGTAO_PLATFORM, destEbrid: upper.ebrid });
  });

  it('O&M requests: a known OMDType is taken, another is 3', async () => {
    const now = new Date();
    const window = { start: new Date(now.getTime() - 3600_000), end: now, type: 'Incremental' as const };
    expect(
      (await send(await upper.seal(SONGTAO_PLATFORM, 'OMDRequest', omdRequest('EBRDTInfo', window)))).resultCode,
    ).toBe(1);
    const bad = await upper.seal(SONGTAO_PLATFORM, 'OMDRequest', [['OMDType', 'EBRXXInfo']]);
    expect((await send(bad)).resultCode).toBe(3);
  });

  it('with autoAir off, an EBM waits as a draft until a county approver approves it', async () => {
    await dockCounty(t, admin, upper, { autoAir: false });
    const sealed = await sealEbm([DAXING]);
    expect((await send(sealed)).resultCode).toBe(1);
    const [{ item, trail }] = await alertOf(ebmIdOf(sealed));
    expect(item.status).toBe('draft');
    expect(trail.map((entry: any) => entry.action)).toEqual(['drafted']);
    const approver = await userToken(t, admin, 'approver', SONGTAO);
    await waitFor(
      'the spoken alert',
      async () => {
        const media = (await t.api.get(`/api/v1/media/${item.mediaId}`, { token: admin })).body;
        return media.status === 'ready' || undefined;
      },
      60_000,
    );
    const approved = await t.api.post(`/api/v1/emergencies/${item.id}/approve`, {}, { token: approver });
    expect(approved.status).toBe(200);
    await waitFor('the alert to go live', async () =>
      (await statusOf(item.id)).status === 'active' ? true : undefined,
    );
  }, 90_000);

  /** The EBM a sealed package carries, to send it again in another package. */
  function messageOf(sealed: SealedPackage): EbmMessage {
    const message = readEbm(opened.get(sealed)!.detail);
    const now = new Date();
    return {
      ebmId: message.ebmId,
      msgType: message.msgType,
      senderName: '铜仁市应急广播中心',
      senderCode: upper.ebrid,
      sendTime: now,
      eventType: message.eventType ?? '11B03',
      severity: message.severity ?? 2,
      startTime: message.startTime ?? now,
      endTime: message.endTime ?? new Date(now.getTime() + 3600_000),
      title: message.content?.title ?? '',
      description: message.content?.description,
      areaCodes: message.content?.areaCodes ?? [],
    };
  }
});
