import type { Reply } from './helpers/api';
import { type AgentProcess, type Scheduled, startWorld, VILLAGE, type World } from './helpers/agent-run';
import { audioFixture } from './helpers/media';
import { waitFor } from './helpers/processes';
import { decode, gainDb, locate, matchedSeconds, onset, type Pcm } from './helpers/recording';

/** How long before 17:30 (on the shifted clock) the agent starts: time to enroll, pull and download, not much more. */
const LEAD_MS = 25_000;
/** docs/agent.md: volume 0–100 is a gain of 40·log10(volume/100) dB (amplitude (volume/100)², as a fader). */
const volumeDb = (volume: number) => 40 * Math.log10(volume / 100);
const VOLUME_AFTER = 30;

/**
 * Issue 19, point 5: the real agent (its audio output going to a WAV file,
 * chosen by DALABA_AUDIO_OUTPUT as an installation would choose its sound
 * card) airs the village's 17:30 rundown on a clock shifted to just before
 * it, and the recording is checked against what the server scheduled.
 *
 * The rundown: 村务公告 (the spoken announcement, 26.7 s) at 17:30:00, then
 * 防汛知识 (the phone-recorded lecture, 21.5 s) straight after. During the
 * first, an operator turns the loudspeaker down; during the second, an alert
 * is approved and goes live.
 */
describe('dalaba-agent plays what the village should hear', () => {
  let world: World;
  let announcement: Scheduled;
  let lecture: Scheduled;
  let agent: AgentProcess;
  let endpointId: string;
  let alertId: string;
  let alertReference: string;
  let volumeIssuedAt: number;
  let issued: Reply;
  /** The volume the loudspeaker said (by heartbeat) it was at before the command. */
  let volumeBefore: number;
  let recording: Pcm;
  let opened: { at: number; sampleRate: number };
  /** Seconds into the recording of an instant on the (shifted) clock. */
  const secondsAt = (instant: number) => (instant - opened.at) / 1000;

  beforeAll(async () => {
    world = await startWorld();
    announcement = await world.schedule(audioFixture('announcement-cmn.wav'), '村务公告');
    lecture = await world.schedule(audioFixture('phone-recording.m4a'), '防汛知识');
    const operator = await world.tokenOf('operator');
    // The alert's voice is made now, so that approving it later is all it takes to go live.
    const spoken = await world.api.post(
      '/api/v1/media/tts',
      { text: '白岩社区请注意，河水上涨，请立即转移到高处。' },
      { token: operator },
    );
    await waitFor('the alert voice', async () =>
      (await world.api.get(`/api/v1/media/${spoken.body.id}`, { token: operator })).body.status === 'ready'
        ? true
        : undefined,
    );
    const drafted = await world.api.post(
      '/api/v1/emergencies',
      {
        title: '河水上涨 转移通知',
        level: 2,
        category: 'flood',
        regionCodes: [VILLAGE],
        mediaId: spoken.body.id,
        repeat: 1,
        expiresAt: new Date(world.slotStart + 30 * 60_000).toISOString(),
        drill: true,
      },
      { token: operator },
    );
    expect(drafted.status).toBe(201);
    alertId = drafted.body.id;
    const endpoint = await world.newEndpoint('村委会门口');
    endpointId = endpoint.id;

    world.clock.setNow(world.slotStart - LEAD_MS);
    await world.clock.settle();
    agent = world.startAgent({ enrollmentCode: endpoint.enrollmentCode, serial: 'PI-BAIYAN-01' });
    opened = await agent.outputOpened();

    // 12 s into the announcement, the loudspeaker is turned down.
    await world.clock.sleepUntil(announcement.startsAt + 12_000);
    volumeBefore = (await world.api.get(`/api/v1/endpoints/${endpointId}`, { token: await world.adminToken() })).body
      .volume;
    volumeIssuedAt = world.clock.now();
    issued = await world.api.post(
      '/api/v1/endpoint-commands',
      { kind: 'set-volume', volume: VOLUME_AFTER, endpointId },
      { token: await world.adminToken() },
    );

    // 8 s into the lecture, the alert is approved and goes live.
    await world.clock.sleepUntil(lecture.startsAt + 8_000);
    const approved = await world.api.post(`/api/v1/emergencies/${alertId}/approve`, undefined, {
      token: await world.tokenOf('approver'),
    });
    expect(approved.status).toBe(200);
    alertReference = await world.emergencyRendition(alertId);

    // Until the lecture's scheduled end and a little after: whatever the rule, by then it is decided.
    await world.clock.sleepUntil(lecture.startsAt + lecture.durationMs + 3_000);
    await agent.spawned.stop();
    recording = decode(agent.recording);
  }, 240_000);
  afterAll(() => world?.close());

  it('starts the programme at 17:30:00 county time within 0.5 s, and airs the scheduled rendition whole', () => {
    // The playlist put it at the slot's start: 17:30:00 +08:00 on the shifted date.
    expect(announcement.startsAt).toBe(world.slotStart);
    const reference = decode(announcement.reference);
    const match = locate(recording, reference)!;
    expect(match.peak).toBeGreaterThan(0.8);
    // The recording's first sample is at output-opened: where the rendition starts is when the village heard it.
    const heardAt = opened.at + match.at * 1000;
    expect(Math.abs(heardAt - world.slotStart)).toBeLessThanOrEqual(500);
    // Duration of the matched segment within 1% of the rendition's.
    const played = matchedSeconds(recording, reference, match.at);
    expect(Math.abs(played * 1000 - announcement.durationMs) / announcement.durationMs).toBeLessThanOrEqual(0.01);
    // Nothing before it: the output was silent from the agent's start to 17:30.
    expect(onset(recording, 0)! * 1000 + opened.at).toBeGreaterThanOrEqual(world.slotStart - 500);
  });

  it('changes the recorded level by the documented dB when an operator sets the volume', () => {
    expect(issued.status).toBe(201);
    const reference = decode(announcement.reference);
    const at = locate(recording, reference)!.at;
    // Compared with the rendition over the same words, before the command and after it was carried out.
    // Before: up to the command's issue. After: from a second past the instant the agent logged carrying it out
    // (its output is written half a second ahead of the clock), to the announcement's last words.
    const carriedOut = agent.events().findLast((e) => e.event === 'command' && e.kind === 'set-volume');
    expect(carriedOut).toBeDefined();
    const before = gainDb(recording, reference, at, 1, (volumeIssuedAt - announcement.startsAt) / 1000);
    const after = gainDb(recording, reference, at, (carriedOut!.at! - announcement.startsAt) / 1000 + 1, 25);
    expect(Math.abs(after - before - (volumeDb(VOLUME_AFTER) - volumeDb(volumeBefore)))).toBeLessThan(0.5);
  });

  it('airs an alert pushed mid-programme within 1.5 s of it going live, and then ends the programme as the rule says', async () => {
    const alert = (await world.api.get(`/api/v1/emergencies/${alertId}`, { token: await world.adminToken() })).body;
    const wentLive = Date.parse(alert.activatedAt);
    const voice = decode(alertReference);
    const heard = locate(recording, voice, { from: secondsAt(wentLive) - 1 })!;
    expect(heard.peak).toBeGreaterThan(0.8);
    expect(opened.at + heard.at * 1000 - wentLive).toBeLessThanOrEqual(1_500);
    expect(opened.at + heard.at * 1000 - wentLive).toBeGreaterThanOrEqual(0);
    // The alert is heard whole (repeat: 1).
    expect(Math.abs(matchedSeconds(recording, voice, heard.at) - voice.samples.length / voice.rate)).toBeLessThan(0.3);

    // The lecture played up to the alert, and not after it: docs/broadcasting.md and the simulator's rule
    // (src/sim/player.ts) cut a programme off for an alert (receipt `interrupted`) and do not resume it.
    const lectureRef = decode(lecture.reference);
    const lectureAt = locate(recording, lectureRef, { referenceSeconds: 5 })!;
    expect(Math.abs(opened.at + lectureAt.at * 1000 - lecture.startsAt)).toBeLessThanOrEqual(500);
    const lecturePlayed = matchedSeconds(recording, lectureRef, lectureAt.at);
    expect(Math.abs(lectureAt.at + lecturePlayed - heard.at)).toBeLessThan(1.5);
    // After the alert, silence until the lecture's scheduled end and beyond: nothing of it resumes.
    const alertEnd = heard.at + voice.samples.length / voice.rate;
    expect(onset(recording, alertEnd)).toBeUndefined();
    const receipts = agent.events().filter((e) => e.event === 'play-end' && e.itemId === lecture.itemId);
    expect(receipts.map((e) => e.outcome)).toEqual(['interrupted']);
  });
});
