import { randomUUID } from 'node:crypto';
import { startApp, type TestApp } from './helpers/app';
import { adminToken, createEndpoint, DAXING, DAXING_VILLAGE, enroll, PANSHI } from './helpers/factories';
import { startTestIcecast, type TestIcecast } from './helpers/icecast';
import { LectureTeams } from './helpers/lecture-teams';
import { Speaker } from './helpers/live';
import { waitFor } from './helpers/processes';
import { EventStream } from './helpers/sse';

// An on-air lecture given live (实时喊话) is recorded in the ledger like any on-air session.
describe('a lecture given live', () => {
  let icecast: TestIcecast;
  let t: TestApp;
  let cast: LectureTeams;

  beforeAll(async () => {
    icecast = await startTestIcecast();
    t = await startApp({ ...icecast.env, LIVE_GRACE_SECONDS: '2' });
    cast = await LectureTeams.create(t, { wang: '王老师宣讲队' });
  });
  afterAll(async () => {
    await t.close();
    await icecast.stop();
  });

  const register = (body: Record<string, unknown> = {}) =>
    cast.api('POST', '/api/v1/lecture-sessions', 'wang', {
      topicId: cast.topicId,
      mode: 'on_air',
      live: true,
      regionCode: DAXING_VILLAGE,
      startsAt: new Date().toISOString(),
      plannedMinutes: 20,
      lecturerIds: [cast.users.wang.id],
      teamId: cast.teams['王老师宣讲队'],
      ...body,
    });
  const speakLive = (body: Record<string, unknown>) =>
    cast.api('POST', '/api/v1/live-sessions', 'wang', { title: '移风易俗宣讲', priority: 'normal', ...body });

  it('refuses what is not a live lecture of the lecturer’s, and a lecturer speaking without one', async () => {
    // A live on-air session names no recording, and an on-air one without a recording must be live.
    expect((await register({ recordingMediaId: randomUUID() })).status).toBe(400);
    expect((await register({ live: undefined })).status).toBe(400);
    expect((await register({ mode: 'onsite' })).status).toBe(400);
    expect((await speakLive({ regionCodes: [DAXING_VILLAGE] })).status).toBe(403);
    const lecture = (await register()).body;
    // Its live session must reach the lecture's village, within the lecturer's scope.
    expect((await speakLive({ regionCodes: [PANSHI], lectureSessionId: lecture.id })).status).toBe(403);
    const elsewhere = await cast.api('POST', '/api/v1/live-sessions', 'township', {
      title: '别处',
      priority: 'normal',
      regionCodes: ['520628001002'],
      lectureSessionId: lecture.id,
    });
    expect(elsewhere.status).toBe(400);
    // The reconciliation does not complete it, nor may the lecturer by hand.
    const byHand = await cast.api('POST', `/api/v1/lecture-sessions/${lecture.id}/complete`, 'wang', {
      attendance: 1,
      actualMinutes: 1,
    });
    expect(byHand.status).toBe(409);
    expect(byHand.body.message).toContain('live session ends');
  });

  it('records the lecture in the ledger from what the loudspeakers played, once its live session ends', async () => {
    const admin = await adminToken(t);
    const device = await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE)).enrollmentCode, 'SN-LECTURE');
    // A second loudspeaker of the village, on but not playing; one registered but never enrolled does not count.
    await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE, '村小学')).enrollmentCode, 'SN-SCHOOL');
    await createEndpoint(t, admin, DAXING_VILLAGE, '未装好');
    const events = await EventStream.open(`${t.url}/api/v1/device/events`, device.token);
    const lecture = (await register()).body;
    expect(lecture).toMatchObject({ mode: 'on_air', status: 'planned', broadcastId: null, recordingMediaId: null });

    const started = await speakLive({ regionCodes: [DAXING], lectureSessionId: lecture.id });
    expect(started.status).toBe(201);
    expect(started.body.session.lectureSessionId).toBe(lecture.id);
    expect((await speakLive({ regionCodes: [DAXING_VILLAGE], lectureSessionId: lecture.id })).status).toBe(409);
    const id = started.body.session.id;
    const speaker = await Speaker.connect(t.url, started.body.ingestUrl);
    const speaking = speaker.speak(3);
    const live = await waitFor('live-started', async () => {
      const event = events.events.find((e) => e.event === 'live-started');
      return event ? JSON.parse(event.data) : undefined;
    });
    await speaking;
    expect((await cast.api('POST', `/api/v1/live-sessions/${id}/end`, 'wang')).body.endReason).toBe('operator');
    await t.api.post(
      '/api/v1/device/receipts',
      {
        receipts: [
          {
            id: randomUUID(),
            itemId: live.itemId,
            startedAt: live.startedAt,
            endedAt: new Date().toISOString(),
            outcome: 'played',
          },
        ],
      },
      { token: device.token },
    );

    const recorded = await waitFor('the lecture to be recorded', async () => {
      const row = (await cast.api('GET', `/api/v1/lecture-sessions/${lecture.id}`, 'wang')).body;
      return row.status === 'completed' ? row : undefined;
    });
    expect(recorded.ledgerSeq).not.toBeNull();
    const entries = (await cast.api('GET', `/api/v1/ledger?region=${DAXING_VILLAGE}&kind=lecture_session`, 'township'))
      .body.items;
    const entry = entries.find((e: { payload: { sessionId: string } }) => e.payload.sessionId === lecture.id);
    expect(entry.actor).toBeNull();
    expect(entry.payload).toMatchObject({
      mode: 'on_air',
      actualMinutes: 1,
      // Two loudspeakers in the village, one played it through.
      attendance: 1,
      onAir: {
        liveSessionId: id,
        endpoints: 2,
        played: 1,
        reached: 1,
        regionsReached: [DAXING_VILLAGE],
        regions: [{ code: DAXING_VILLAGE, endpoints: 2, played: 1, reached: 1 }],
      },
    });
    expect(entry.payload.onAir.broadcastId).toBeUndefined();
    events.close();
  });
});
