import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearQueuePrefix, startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { dockCounty, startUpper } from './helpers/ebd';
import {
  adminToken,
  createEndpoint,
  DAXING,
  enroll,
  DAXING_VILLAGE,
  PANSHI,
  SONGTAO,
  userToken,
} from './helpers/factories';
import { LectureTeams } from './helpers/lecture-teams';
import { waitFor } from './helpers/processes';
import { countyDate, countyInstant, formatMinute } from '../src/kernel/county-time';
import { LecturesJobs } from '../src/lectures/lectures.jobs';
import { Notices } from '../src/notifications/notices';
import { verifySignature } from '../src/notifications/domain/webhook-request';
import { SchedulingJobs } from '../src/scheduling/scheduling.jobs';

// Notifications reach the people who must act, and no one else: in the
// console by role and scope, and through signed webhooks that are retried
// from Postgres, held in quiet hours, capped per hour, and survive Redis
// being emptied. Every feature's hook is fired through the feature itself.

const CAP = 3;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A county's webhook receiver: answers each request with the next status queued, 200 when none is. */
class Receiver {
  readonly received: Received[] = [];
  readonly statuses: number[] = [];
  /** Requests that came, answered or not. */
  arrived = 0;
  /** While set, requests are held unanswered (a receiver that hangs mid-delivery). */
  hanging = false;
  private readonly server: Server;
  url = '';

  constructor() {
    this.server = createServer((request, response) => {
      this.arrived++;
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (this.hanging) return;
        this.received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        const status = this.statuses.shift() ?? 200;
        // A redirect points at another host, which must never be asked.
        response.writeHead(status, status === 302 ? { location: 'http://127.0.0.2:9/elsewhere' } : {}).end();
      });
    });
  }

  async start(path: string): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this;
  }

  messages(): any[] {
    return this.received.map((request) => JSON.parse(request.body));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('notifications', () => {
  let t: TestApp;
  let cast: LectureTeams;
  let admin: string;
  let countyApprover: string;
  let daxingApprover: string;
  let panshiApprover: string;
  let countyOperator: string;
  let daxingAdmin: string;
  const receivers: Receiver[] = [];

  const receiver = async (path = '/hook') => {
    const started = await new Receiver().start(path);
    receivers.push(started);
    return started;
  };
  const mine = async (token: string, query = '') => (await t.api.get(`/api/v1/notifications${query}`, { token })).body;
  const titles = async (token: string) => (await mine(token)).items.map((item: any) => item.title);
  const deliveries = async (webhookId: string) =>
    (await t.api.get(`/api/v1/webhooks/${webhookId}/deliveries`, { token: admin })).body.items;
  /** A webhook of the county and a rule sending `kind` there. */
  const hooked = async (kind: string, url: string, rule: Record<string, unknown> = {}) => {
    const webhook = await t.api.post(
      '/api/v1/webhooks',
      { regionCode: SONGTAO, name: `县短信网关 ${kind}`, url },
      { token: admin },
    );
    expect(webhook.status).toBe(201);
    const created = await t.api.post(
      '/api/v1/notification-rules',
      { regionCode: SONGTAO, kind, roles: ['operator'], webhookId: webhook.body.id, ...rule },
      { token: admin },
    );
    expect(created.status).toBe(201);
    return { webhook: webhook.body, ruleId: created.body.id as string };
  };
  let faults = 0;
  /** An endpoint fault raised as the device-state helper raises it. */
  const fault = (regionCode = DAXING_VILLAGE) =>
    t.app.get(Notices).raise({
      kind: 'endpoint_fault',
      regionCode,
      dedupKey: `endpoint-fault:test-${++faults}`,
      title: `喇叭故障 ${faults}`,
      body: '功放无输出',
      link: '/regions',
    });

  beforeAll(async () => {
    t = await startApp({ NOTIFY_WEBHOOK_HOURLY_CAP: String(CAP), NOTIFY_WEBHOOK_TIMEOUT_SECONDS: '2' });
    cast = await LectureTeams.create(t, { wang: '王队' });
    admin = await adminToken(t);
    countyApprover = await userToken(t, admin, 'approver', SONGTAO);
    daxingApprover = await userToken(t, admin, 'approver', DAXING);
    panshiApprover = await userToken(t, admin, 'approver', PANSHI);
    countyOperator = cast.users.county.token;
    daxingAdmin = await userToken(t, admin, 'admin', DAXING);
  });

  afterAll(async () => {
    await t?.close();
    for (const started of receivers) await started.close();
  });

  it('refuses bad rules, webhooks and read marks with 4xx in the one error shape, and keeps nothing of them', async () => {
    const bad: Array<[string, string, unknown, string, number]> = [
      ['POST', '/api/v1/webhooks', { regionCode: SONGTAO, name: 'x', url: 'ftp://example.org/' }, admin, 400],
      ['POST', '/api/v1/webhooks', { regionCode: SONGTAO, name: 'x', url: 'http://user:pw@example.org/' }, admin, 400],
      ['POST', '/api/v1/webhooks', { regionCode: SONGTAO, name: 'x', url: 'http://x/', secret: 'mine' }, admin, 400],
      ['POST', '/api/v1/webhooks', { regionCode: SONGTAO, name: 'x', url: 'http://example.org/' }, daxingAdmin, 403],
      ['POST', '/api/v1/webhooks', { regionCode: SONGTAO, name: 'x', url: 'http://example.org/' }, countyOperator, 403],
      [
        'POST',
        '/api/v1/notification-rules',
        { regionCode: SONGTAO, kind: 'endpoint_fault', roles: ['operator'], quietFrom: '22:00' },
        admin,
        400,
      ],
      ['POST', '/api/v1/notification-rules', { regionCode: SONGTAO, kind: 'nonsense', roles: [] }, admin, 400],
      [
        'POST',
        '/api/v1/notification-rules',
        { regionCode: SONGTAO, kind: 'endpoint_fault', roles: ['operator', 'operator'] },
        admin,
        400,
      ],
      [
        'POST',
        '/api/v1/notification-rules',
        { regionCode: SONGTAO, kind: 'endpoint_fault', roles: [], webhookId: '00000000-0000-4000-8000-000000000000' },
        admin,
        404,
      ],
      ['POST', '/api/v1/notifications/read', { ids: ['not-a-uuid'] }, countyOperator, 400],
      ['POST', '/api/v1/notifications/read', {}, countyOperator, 400],
      ['POST', '/api/v1/notifications/read', { ids: ['00000000-0000-4000-8000-000000000000'] }, countyOperator, 404],
      ['GET', '/api/v1/notifications?limit=0', undefined, countyOperator, 400],
    ];
    for (const [method, path, body, token, status] of bad) {
      const reply = await t.api.request<any>(method, path, body, { token });
      expect([path, body, reply.status]).toEqual([path, body, status]);
      expect(reply.body).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    }
    // A township's webhook cannot serve a rule of the whole county.
    const township = await t.api.post(
      '/api/v1/webhooks',
      { regionCode: DAXING, name: '大兴钉钉', url: 'https://example.org/hook' },
      { token: daxingAdmin },
    );
    const countyRule = await t.api.post(
      '/api/v1/notification-rules',
      { regionCode: SONGTAO, kind: 'endpoint_fault', roles: [], webhookId: township.body.id },
      { token: admin },
    );
    expect(countyRule.status).toBe(400);
    expect((await t.api.get('/api/v1/notification-rules', { token: admin })).body.items).toEqual([]);
    expect(
      (await t.api.request('DELETE', `/api/v1/webhooks/${township.body.id}`, undefined, { token: admin })).status,
    ).toBe(204);
    expect((await t.api.get('/api/v1/webhooks', { token: admin })).body.items).toEqual([]);
  });

  it('tells the approvers in scope, and only them, of an alert drafted through the emergencies API; marking it read is theirs alone', async () => {
    const drafted = await t.api.post(
      '/api/v1/emergencies',
      {
        title: '大兴洪水预警',
        level: 2,
        category: 'flood',
        regionCodes: [DAXING_VILLAGE],
        text: '白岩社区请注意防范洪水。',
        expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
        drill: false,
      },
      { token: countyOperator },
    );
    expect(drafted.status).toBe(201);
    const expected = {
      kind: 'alert_awaiting_approval',
      regionCode: DAXING_VILLAGE,
      title: '预警待审批：大兴洪水预警',
      link: `/emergencies?id=${drafted.body.id}`,
      readAt: null,
    };
    expect((await mine(countyApprover)).items).toEqual([expect.objectContaining(expected)]);
    expect((await mine(daxingApprover)).items).toEqual([expect.objectContaining(expected)]);
    expect((await mine(panshiApprover)).items).toEqual([]);
    expect((await mine(countyOperator)).items).toEqual([]);

    const id = (await mine(daxingApprover)).items[0].id;
    expect((await t.api.post('/api/v1/notifications/read', { ids: [id] }, { token: panshiApprover })).status).toBe(404);
    const marked = await t.api.post('/api/v1/notifications/read', { ids: [id] }, { token: daxingApprover });
    expect(marked.body).toEqual({ marked: 1, unread: 0 });
    expect((await mine(daxingApprover, '?unread=true')).items).toEqual([]);
    expect((await mine(countyApprover)).unread).toBe(1);
  });

  it('POSTs a notification to a webhook signed with the secret shown once at creation', async () => {
    const hook = await receiver('/sms?token=relay-own-token');
    const { webhook } = await hooked('endpoint_fault', hook.url);
    expect(webhook.secret).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await t.api.get('/api/v1/webhooks', { token: admin })).body.items;
    expect(listed.find((row: any) => row.id === webhook.id)).not.toHaveProperty('secret');

    const id = await fault();
    await waitFor('the webhook to be called', async () => (hook.received.length ? true : undefined));
    const [request] = hook.received;
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(
      verifySignature(
        webhook.secret,
        String(request.headers['x-dalaba-timestamp']),
        request.body,
        String(request.headers['x-dalaba-signature']),
      ),
    ).toBe(true);
    expect(
      verifySignature(
        '0'.repeat(64),
        String(request.headers['x-dalaba-timestamp']),
        request.body,
        String(request.headers['x-dalaba-signature']),
      ),
    ).toBe(false);
    expect(JSON.parse(request.body)).toEqual({
      id,
      kind: 'endpoint_fault',
      region: DAXING_VILLAGE,
      title: `喇叭故障 ${faults}`,
      body: '功放无输出',
      link: '/regions',
      createdAt: expect.any(String),
    });
    const [logged] = await waitFor('the delivery logged', async () => {
      const rows = await deliveries(webhook.id);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    expect(logged).toMatchObject({ id: request.headers['x-dalaba-delivery'], attempts: 1, lastStatus: 200 });
    // The operator the rule names sees it too; a raise of the same key again is nothing new.
    expect(await titles(countyOperator)).toContain(`喇叭故障 ${faults}`);
    expect(
      await t.app.get(Notices).raise({
        kind: 'endpoint_fault',
        regionCode: DAXING_VILLAGE,
        dedupKey: `endpoint-fault:test-${faults}`,
        title: 'again',
        body: 'again',
      }),
    ).toBeNull();

    // A rotated secret signs from now on; the test send uses it.
    const rotated = await t.api.post(`/api/v1/webhooks/${webhook.id}/secret`, undefined, { token: admin });
    expect(rotated.body.secret).not.toBe(webhook.secret);
    const test = await t.api.post(`/api/v1/webhooks/${webhook.id}/test`, undefined, { token: admin });
    expect(test.body).toEqual({ delivered: true, status: 200, error: null });
    const last = hook.received[hook.received.length - 1];
    expect(
      verifySignature(
        rotated.body.secret,
        String(last.headers['x-dalaba-timestamp']),
        last.body,
        String(last.headers['x-dalaba-signature']),
      ),
    ).toBe(true);
  });

  it('retries a delivery the webhook answered 500, and gives up at once on a 404', async () => {
    const flaky = await receiver();
    flaky.statuses.push(500);
    const retried = await hooked('endpoint_offline', flaky.url);
    await t.app.get(Notices).raise({
      kind: 'endpoint_offline',
      regionCode: DAXING_VILLAGE,
      dedupKey: 'endpoint-offline:retry',
      title: '喇叭离线 2 小时',
      body: '白岩社区村委会门口',
    });
    const [delivered] = await waitFor('the retry to succeed', async () => {
      const rows = await deliveries(retried.webhook.id);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    expect(delivered).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null });
    expect(flaky.received).toHaveLength(2);
    expect(flaky.received[0].headers['x-dalaba-delivery']).toBe(flaky.received[1].headers['x-dalaba-delivery']);

    const gone = await receiver();
    gone.statuses.push(404);
    const refused = await hooked('ebd_link_down', gone.url);
    await t.app.get(Notices).raise({
      kind: 'ebd_link_down',
      regionCode: SONGTAO,
      dedupKey: 'ebd-link-down:test',
      title: '上级平台连接中断',
      body: '没有应答',
    });
    const [failed] = await waitFor('the delivery to fail', async () => {
      const rows = await deliveries(refused.webhook.id);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 404, lastError: 'answered HTTP 404', nextAttemptAt: null });
    expect(gone.received).toHaveLength(1);
  });

  it('follows no redirect, and gives up on a webhook that keeps failing after NOTIFY_WEBHOOK_GIVE_UP_HOURS', async () => {
    const moved = await receiver();
    moved.statuses.push(302);
    const redirected = await hooked('endpoint_offline', moved.url, { roles: [] });
    const broken = await receiver();
    broken.statuses.push(...Array<number>(100).fill(503));
    const failing = await hooked('endpoint_offline', broken.url, { roles: [] });
    await t.app.get(Notices).raise({
      kind: 'endpoint_offline',
      regionCode: DAXING_VILLAGE,
      dedupKey: 'endpoint-offline:redirect',
      title: '喇叭离线 3 小时',
      body: '白岩社区文化广场',
    });
    const [refused] = await waitFor('the redirect refused', async () => {
      const rows = await deliveries(redirected.webhook.id);
      return rows[0]?.status === 'failed' ? rows : undefined;
    });
    expect(refused).toMatchObject({ attempts: 1, lastStatus: 302 });
    expect(refused.lastError).toContain('redirects are not followed');

    await waitFor('the first failed attempt', async () =>
      (await deliveries(failing.webhook.id))[0]?.attempts === 1 ? true : undefined,
    );
    // A day and more has passed since it was raised (the clock moved, as the row records it).
    await sql(
      t.database,
      `UPDATE webhook_delivery SET created_at = now() - interval '25 hours' WHERE webhook_id = $1`,
      [failing.webhook.id],
    );
    const [givenUp] = await waitFor('the delivery given up', async () => {
      const rows = await deliveries(failing.webhook.id);
      return rows[0]?.status === 'given_up' ? rows : undefined;
    });
    expect(givenUp).toMatchObject({
      attempts: 2,
      lastStatus: 503,
      lastError: 'answered HTTP 503',
      nextAttemptAt: null,
    });
  });

  it('holds deliveries in quiet hours and sends them as one digest when they end; an approval is never held', async () => {
    const night = await receiver();
    const minute = Math.floor((Date.now() - countyInstant(countyDate(new Date()), 0).getTime()) / 60_000);
    const quiet = { quietFrom: formatMinute((minute + 1380) % 1440), quietUntil: formatMinute((minute + 60) % 1440) };
    const { webhook, ruleId } = await hooked('order_deadline', night.url, quiet);
    const approvals = await t.api.post(
      '/api/v1/notification-rules',
      { regionCode: SONGTAO, kind: 'alert_awaiting_approval', roles: ['approver'], webhookId: webhook.id, ...quiet },
      { token: admin },
    );
    expect(approvals.body).toMatchObject({ ...quiet, webhookName: webhook.name, regionName: expect.any(String) });
    for (const n of [1, 2])
      await t.app.get(Notices).raise({
        kind: 'order_deadline',
        regionCode: DAXING_VILLAGE,
        dedupKey: `order-deadline:quiet-${n}`,
        title: `点单将超时 ${n}`,
        body: '请尽快送达',
      });
    const held = await deliveries(webhook.id);
    expect(held.map((row: any) => row.status)).toEqual(['held', 'held']);
    expect(held[0].releaseAt).toEqual(expect.stringMatching(new RegExp(`T${quiet.quietUntil}:00(\\.000)?\\+08:00$`)));

    // An alert waiting for approval goes through quiet hours at once.
    await t.api.post(
      '/api/v1/emergencies',
      {
        title: '夜间山洪预警',
        level: 1,
        category: 'flood',
        regionCodes: [DAXING],
        text: '夜间山洪。',
        expiresAt: new Date(Date.now() + 2 * 3600_000).toISOString(),
        drill: false,
      },
      { token: countyOperator },
    );
    await waitFor('the approval request to be sent', async () => (night.received.length === 1 ? true : undefined));
    expect(night.messages()[0]).toMatchObject({ kind: 'alert_awaiting_approval', title: '预警待审批：夜间山洪预警' });

    // Quiet hours end (the clock reaches their end): both go as one message.
    await sql(t.database, `UPDATE webhook_delivery SET release_at = now() WHERE rule_id = $1`, [ruleId]);
    await waitFor('the digest', async () => (night.received.length === 2 ? true : undefined));
    const digest = night.messages()[1];
    expect(digest).toMatchObject({ kind: 'digest', title: '2 条通知汇总', region: SONGTAO, link: '/notifications' });
    expect(digest.items.map((item: any) => item.title)).toEqual(['点单将超时 1', '点单将超时 2']);
    const after = await waitFor('the log to show it', async () => {
      const rows = await deliveries(webhook.id);
      return rows.some((row: any) => row.status === 'delivered' && row.notificationId === null) ? rows : undefined;
    });
    expect(after.filter((row: any) => row.status === 'digested')).toHaveLength(2);
  });

  it(`sends ${CAP} deliveries of a rule an hour alone and the rest as one digest: one broken village cannot flood a phone`, async () => {
    const phone = await receiver();
    const { webhook, ruleId } = await hooked('endpoint_fault', phone.url, { roles: [] });
    const before = faults;
    for (let n = 0; n < CAP + 4; n++) await fault();
    await waitFor(`${CAP} messages`, async () => (phone.received.length === CAP ? true : undefined));
    const rows = await deliveries(webhook.id);
    expect(rows.filter((row: any) => row.status === 'held')).toHaveLength(4);
    // An hour after the first, the rest go as one.
    await sql(t.database, `UPDATE webhook_delivery SET release_at = now() WHERE rule_id = $1 AND status = 'held'`, [
      ruleId,
    ]);
    await waitFor('the digest', async () => (phone.received.length === CAP + 1 ? true : undefined));
    const digest = phone.messages()[CAP];
    expect(digest.items.map((item: any) => item.title)).toEqual(
      [CAP + 1, CAP + 2, CAP + 3, CAP + 4].map((n) => `喇叭故障 ${before + n}`),
    );
  });

  it('raises one readiness notice per county and date naming the villages with problems, from the 17:00 job', async () => {
    // Enrolled, and never fetched tonight's playlist: it would not air on its own.
    await enroll(t, (await createEndpoint(t, admin, DAXING_VILLAGE, '村委会门口')).enrollmentCode);
    const date = countyDate(new Date());
    const jobs = t.app.get(SchedulingJobs);
    await jobs.checkReadiness({ countyCode: SONGTAO, date });
    await jobs.checkReadiness({ countyCode: SONGTAO, date });
    const readiness = (await mine(countyOperator)).items.filter((item: any) => item.kind === 'readiness_problems');
    expect(readiness).toEqual([
      expect.objectContaining({
        regionCode: SONGTAO,
        title: `${date} 播出前检查：1 处 1 台喇叭未就绪`,
        body: '白岩社区居民委员会（1/1 台：离线 1，未取节目单 1）。',
        link: '/today',
      }),
    ]);
    // The county's message is the county's: a township operator does not get it.
    expect(await titles(cast.users.township.token)).not.toContain(readiness[0].title);
  });

  it('warns of an order near its 72-hour deadline and tells of it when the escalation job sends it back', async () => {
    const orderId = await cast.order('王队');
    await sql(t.database, `UPDATE lecture_order SET deliver_by = now() + interval '2 hours' WHERE id = $1`, [orderId]);
    const jobs = t.app.get(LecturesJobs);
    expect(await jobs.escalate()).toEqual({ escalated: 0, warned: 1 });
    expect(await jobs.escalate()).toEqual({ escalated: 0, warned: 0 });
    await sql(t.database, `UPDATE lecture_order SET deliver_by = now() - interval '1 minute' WHERE id = $1`, [orderId]);
    expect(await jobs.escalate()).toEqual({ escalated: 1, warned: 0 });
    const township = (await mine(cast.users.township.token)).items.filter((item: any) =>
      item.title.endsWith('移风易俗'),
    );
    expect(township.map((item: any) => [item.kind, item.title])).toEqual([
      ['order_escalated', '点单超时退回：移风易俗'],
      ['order_deadline', '点单将超 72 小时时限：移风易俗'],
    ]);
    expect(township[0].body).toContain('已退回派单人');
    // Paged newest first: the next page starts where the last ended.
    const first = await mine(cast.users.township.token, '?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await mine(cast.users.township.token, `?limit=1&before=${encodeURIComponent(first.nextBefore)}`);
    expect(Date.parse(second.items[0].createdAt)).toBeLessThan(Date.parse(first.items[0].createdAt));
  });

  it('raises one notice when the upper EBD platform stops answering, however many heartbeats fail', async () => {
    const upper = await startUpper();
    await upper.close();
    await dockCounty(t, admin, upper, { heartbeatSeconds: 5 });
    const [down] = await waitFor('the link-down notice', async () => {
      const items = (await mine(countyOperator)).items.filter((item: any) => item.title === '应急广播上级平台连接中断');
      return items.length ? items : undefined;
    });
    expect(down).toMatchObject({ regionCode: SONGTAO, title: '应急广播上级平台连接中断', link: '/ebd' });
    expect(down.body).toContain('从未连通');
    await waitFor('another failed heartbeat', async () => {
      const [row] = await sql<{ n: number }>(
        t.database,
        `SELECT count(*)::int AS n FROM ebd_package WHERE type = 'ConnectionCheck' AND status = 'failed'`,
      );
      return row.n >= 2 ? true : undefined;
    });
    const downs = (await mine(countyOperator)).items.filter((item: any) => item.title === '应急广播上级平台连接中断');
    expect(downs).toHaveLength(1);
  });

  it('loses no delivery when the process dies mid-delivery and Redis is emptied: Postgres is the outbox', async () => {
    const slow = await receiver();
    const { webhook } = await hooked('order_escalated', slow.url, { roles: [] });
    const raise = (name: string) =>
      t.app.get(Notices).raise({
        kind: 'order_escalated',
        regionCode: DAXING_VILLAGE,
        dedupKey: `order-escalated:${name}`,
        title: `点单超时退回：${name}`,
        body: '请重新派单',
      });
    // One delivered a month ago (the row says so): the log forgets it when the new process sweeps.
    await raise('上月');
    const [old] = await waitFor("last month's delivery", async () => {
      const rows = await deliveries(webhook.id);
      return rows[0]?.status === 'delivered' ? rows : undefined;
    });
    await sql(t.database, `UPDATE webhook_delivery SET created_at = now() - interval '31 days' WHERE id = $1`, [
      old.id,
    ]);

    slow.hanging = true;
    const id = await raise('崩溃测试');
    // The webhook has the request, unanswered, when the process stops and Redis loses every job.
    await waitFor('the request to hang', async () => (slow.arrived === 2 ? true : undefined));
    await t.close({ keep: true });
    await clearQueuePrefix(t.config.queuePrefix);
    slow.hanging = false;
    t = await startApp(t.env, { database: t.database });
    await waitFor(
      'the delivery after the restart',
      async () => (slow.received.length === 2 ? true : undefined),
      60_000,
    );
    expect(slow.messages()[1]).toMatchObject({ id, title: '点单超时退回：崩溃测试' });
    admin = await adminToken(t);
    const [delivered] = await waitFor('the log to say delivered and forget last month', async () => {
      const rows = await deliveries(webhook.id);
      return rows.length === 1 && rows[0].status === 'delivered' ? rows : undefined;
    });
    expect(delivered.notificationId).toBe(id);
  });
});
