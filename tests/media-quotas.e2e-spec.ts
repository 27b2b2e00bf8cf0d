import { countyDayBounds } from '../src/media/domain/media-quota';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, DAXING, importSongtao, PANSHI, userToken } from './helpers/factories';
import { audioFixture, mediaDirContents, upload } from './helpers/media';

const inHours = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString();
const RECORDING = audioFixture('phone-recording.m4a'); // 258,958 bytes

/** Media items an admin sees: everything, in every scope. */
async function mediaCount(t: TestApp, admin: string): Promise<number> {
  return (await t.api.get('/api/v1/media?limit=200', { token: admin })).body.items.length;
}

function expectQuotaRefusal(reply: { status: number; body: any }, quota: string, limit: number, resets: boolean) {
  expect(reply.status).toBe(429);
  expect(reply.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', requestId: expect.any(String) });
  const [detail] = reply.body.details;
  expect(detail).toMatchObject({
    path: `quota.${quota}`,
    limit,
    variable: expect.stringMatching(/^(MEDIA|TTS)_QUOTA_/),
  });
  expect(reply.body.message).toContain(detail.variable);
  if (resets) {
    expect(detail.resetsAt).toBe(countyDayBounds(new Date()).end.toISOString());
    expect(reply.body.message).toMatch(/resets at/);
  } else {
    expect(detail.resetsAt).toBeNull();
    expect(reply.body.message).toMatch(/once some are ready/);
  }
}

// No worker (APP_ROLE=api): what is queued stays queued, so "at once" does not depend on how fast jobs run.
describe('media quotas: items processing at once', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startApp({ APP_ROLE: 'api', MEDIA_QUOTA_USER_QUEUED: '2', MEDIA_QUOTA_SCOPE_QUEUED: '3' });
    admin = await adminToken(t);
    await importSongtao(t, admin);
  }, 60_000);
  afterAll(() => t.close());

  it('refuses the author over their limit, then the scope over its (shared by two lecturers), with 429 and nothing created; another scope and alerts are unaffected', async () => {
    const first = await userToken(t, admin, 'lecturer', DAXING);
    const second = await userToken(t, admin, 'lecturer', DAXING);
    const elsewhere = await userToken(t, admin, 'lecturer', PANSHI);
    const operator = await userToken(t, admin, 'operator', DAXING);
    const speak = (token: string) => t.api.post('/api/v1/media/tts', { text: '请大家注意防火。' }, { token });

    expect((await speak(first)).status).toBe(202);
    expect((await speak(first)).status).toBe(202);
    const before = await mediaCount(t, admin);
    expectQuotaRefusal(await speak(first), 'user.queued', 2, false);
    expectQuotaRefusal(await upload(t, first, RECORDING), 'user.queued', 2, false);
    expect(await mediaCount(t, admin)).toBe(before);
    expect(mediaDirContents(t.config.mediaDir).leftovers).toEqual([]);

    expect((await speak(second)).status).toBe(202);
    const refused = await speak(second);
    expectQuotaRefusal(refused, 'scope.queued', 3, false);
    expect(refused.body.message).toMatch(/^Your scope has 3 media items/);
    expect(await mediaCount(t, admin)).toBe(before + 1);

    expect((await speak(elsewhere)).status).toBe(202);

    // An alert's audio is never refused for routine work.
    const alert = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '山火预警',
        level: 2,
        category: 'fire',
        regionCodes: [DAXING],
        text: '大兴街道请注意，山火逼近，请立即撤离。',
        expiresAt: inHours(2),
        drill: true,
      },
      { token: operator },
    );
    expect(alert.status).toBe(201);
  });
});

describe('media quotas: bytes and characters a day', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startApp({
      APP_ROLE: 'api',
      TTS_QUOTA_USER_CHARS_PER_DAY: '30',
      TTS_QUOTA_SCOPE_CHARS_PER_DAY: '45',
      MEDIA_QUOTA_USER_BYTES_PER_DAY: '400000',
      MEDIA_QUOTA_SCOPE_BYTES_PER_DAY: '600000',
    });
    admin = await adminToken(t);
    await importSongtao(t, admin);
  }, 60_000);
  afterAll(() => t.close());

  it('counts text-to-speech characters per author and per scope until the county day ends', async () => {
    const first = await userToken(t, admin, 'lecturer', DAXING);
    const second = await userToken(t, admin, 'lecturer', DAXING);
    const elsewhere = await userToken(t, admin, 'lecturer', PANSHI);
    const speak = (token: string, chars: number) =>
      t.api.post('/api/v1/media/tts', { text: '讲'.repeat(chars) }, { token });

    expect((await speak(first, 20)).status).toBe(202);
    const before = await mediaCount(t, admin);
    const refused = await speak(first, 20);
    expectQuotaRefusal(refused, 'user.charsPerDay', 30, true);
    expect(refused.body.details[0].used).toBe(20);
    expect(await mediaCount(t, admin)).toBe(before);

    expect((await speak(second, 20)).status).toBe(202);
    expectQuotaRefusal(await speak(second, 10), 'scope.charsPerDay', 45, true);
    expect((await speak(second, 5)).status).toBe(202);
    expect((await speak(elsewhere, 20)).status).toBe(202);
  });

  it('counts upload bytes per author and per scope, refusing an upload that does not fit and keeping nothing of it', async () => {
    const first = await userToken(t, admin, 'operator', PANSHI);
    const second = await userToken(t, admin, 'operator', PANSHI);
    const elsewhere = await userToken(t, admin, 'operator', DAXING);

    expect((await upload(t, first, RECORDING)).status).toBe(202);
    const before = await mediaCount(t, admin);
    const incoming = () => mediaDirContents(t.config.mediaDir).leftovers.length;
    const held = incoming();
    expectQuotaRefusal(await upload(t, first, RECORDING), 'user.bytesPerDay', 400_000, true);
    expect(await mediaCount(t, admin)).toBe(before);
    expect(incoming()).toBe(held);

    expect((await upload(t, second, RECORDING)).status).toBe(202);
    expectQuotaRefusal(await upload(t, second, RECORDING), 'scope.bytesPerDay', 600_000, true);
    expect(await mediaCount(t, admin)).toBe(before + 1);
    expect((await upload(t, elsewhere, RECORDING)).status).toBe(202);
  });
});
