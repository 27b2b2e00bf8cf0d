import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_RULE } from '../src/auth/access.decorator';
import type { Role } from '../src/auth/domain/permissions';
import { startApp, type TestApp } from './helpers/app';
import {
  adminToken,
  createEndpoint,
  enroll,
  DAXING,
  DAXING_VILLAGE,
  importSongtao,
  PANSHI,
  PANSHI_VILLAGE,
  SONGTAO,
  userToken,
} from './helpers/factories';

// Every role, scoped to the 大兴 township, against every route that names a
// region, an endpoint or a media item (and the civic-practice routes naming a region): inside the township is allowed where
// the role has the permission; the 盘石 township next door is always 403.

type Case = { route: string; call: (token: string, where: 'inside' | 'outside') => Promise<number>; allowed: Role[] };

describe('route × role × scope', () => {
  let t: TestApp;
  let tokens: Record<Role, string>;
  const endpoints: Record<'inside' | 'outside', string> = { inside: '', outside: '' };
  const media: Record<'inside' | 'outside', string> = { inside: '', outside: '' };
  let topicId: string;
  let lecturerId: string;
  let teamId: string;
  const orders: Record<'inside' | 'outside', string> = { inside: '', outside: '' };
  const webhooks: Record<'inside' | 'outside', string> = { inside: '', outside: '' };
  const rules: Record<'inside' | 'outside', string> = { inside: '', outside: '' };
  const commands: Record<'inside' | 'outside', string> = { inside: '', outside: '' };

  beforeAll(async () => {
    t = await startApp();
    const admin = await adminToken(t);
    await importSongtao(t, admin);
    tokens = {
      admin: await userToken(t, admin, 'admin', DAXING),
      operator: await userToken(t, admin, 'operator', DAXING),
      approver: await userToken(t, admin, 'approver', DAXING),
      lecturer: await userToken(t, admin, 'lecturer', DAXING),
    };
    for (const [where, regionCode] of [
      ['inside', DAXING_VILLAGE],
      ['outside', PANSHI_VILLAGE],
    ] as const) {
      // Enrolled, so a command has a loudspeaker to reach.
      endpoints[where] = (
        await enroll(t, (await createEndpoint(t, admin, regionCode)).enrollmentCode, where)
      ).endpointId;
      const command = { kind: 'refetch', endpointId: endpoints[where] };
      commands[where] = (await t.api.post('/api/v1/endpoint-commands', command, { token: admin })).body.id;
    }
    for (const [where, regionCode] of [
      ['inside', DAXING],
      ['outside', PANSHI],
    ] as const) {
      const hook = { regionCode, name: '短信网关', url: 'https://sms.example.org/hook' };
      webhooks[where] = (await t.api.post('/api/v1/webhooks', hook, { token: admin })).body.id;
      const rule = { regionCode, kind: 'endpoint_fault', roles: ['operator'] };
      rules[where] = (await t.api.post('/api/v1/notification-rules', rule, { token: admin })).body.id;
    }
    const speak = async (token: string) =>
      (await t.api.post('/api/v1/media/tts', { text: '今晚开会。' }, { token })).body.id;
    media.inside = await speak(tokens.operator);
    media.outside = await speak(await userToken(t, admin, 'operator', PANSHI));
    topicId = (
      await t.api.post(
        '/api/v1/topics',
        { countyCode: SONGTAO, title: '村规民约', category: 'village_rules' },
        { token: admin },
      )
    ).body.id;
    lecturerId = (await t.api.get('/api/v1/auth/me', { token: tokens.lecturer })).body.id;
    teamId = (
      await t.api.post(
        '/api/v1/teams',
        { name: '大兴宣讲队', regionCode: DAXING, members: [{ userId: lecturerId }] },
        { token: admin },
      )
    ).body.id;
    for (const where of ['inside', 'outside'] as const)
      orders[where] = (
        await t.api.post(
          '/api/v1/orders',
          { topicId, regionCode: where === 'inside' ? DAXING_VILLAGE : PANSHI_VILLAGE },
          { token: admin },
        )
      ).body.id;
  });
  afterAll(() => t.close());

  const township = { inside: DAXING, outside: PANSHI };
  const village = { inside: DAXING_VILLAGE, outside: PANSHI_VILLAGE };
  let made = 0;
  const cases: Case[] = [
    {
      route: 'GET /regions/:code',
      allowed: ['admin', 'operator', 'approver', 'lecturer'],
      call: async (token, w) => (await t.api.get(`/api/v1/regions/${township[w]}`, { token })).status,
    },
    {
      route: 'GET /endpoints?region=',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoints?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /endpoints/:id',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoints/${endpoints[w]}`, { token })).status,
    },
    ...(['faults', 'silent-villages', 'map'] as const).map((list): Case => ({
      route: `GET /endpoints/${list}?region=`,
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoints/${list}?region=${township[w]}`, { token })).status,
    })),
    {
      route: 'GET /endpoints/:id/faults',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoints/${endpoints[w]}/faults`, { token })).status,
    },
    {
      route: 'POST /endpoint-commands (region)',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.post('/api/v1/endpoint-commands', { kind: 'refetch', regionCode: township[w] }, { token })).status,
    },
    {
      route: 'POST /endpoint-commands (one endpoint)',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/endpoint-commands',
            { kind: 'set-volume', volume: 60, endpointId: endpoints[w] },
            { token },
          )
        ).status,
    },
    {
      route: 'GET /endpoint-commands?region=',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoint-commands?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /endpoint-commands/:id',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/endpoint-commands/${commands[w]}`, { token })).status,
    },
    {
      route: 'PATCH /endpoints/:id',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.request('PATCH', `/api/v1/endpoints/${endpoints[w]}`, { address: '村口' }, { token })).status,
    },
    {
      route: 'POST /endpoints',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.post('/api/v1/endpoints', { regionCode: village[w], name: '喇叭' }, { token })).status,
    },
    {
      route: 'POST /endpoints/:id/enrollment-code',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.post(`/api/v1/endpoints/${endpoints[w]}/enrollment-code`, undefined, { token })).status,
    },
    {
      route: 'POST /endpoints/:id/revoke',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.post(`/api/v1/endpoints/${endpoints[w]}/revoke`, undefined, { token })).status,
    },
    {
      route: 'GET /media/:id',
      allowed: ['admin', 'operator', 'approver', 'lecturer'],
      call: async (token, w) => (await t.api.get(`/api/v1/media/${media[w]}`, { token })).status,
    },
    {
      route: 'GET /ledger?region=',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) => (await t.api.get(`/api/v1/ledger?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /reports?region=',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) =>
        (await t.api.get(`/api/v1/reports?region=${township[w]}&period=2026-11`, { token })).status,
    },
    {
      route: 'GET /assessments?region=',
      allowed: ['admin', 'operator', 'approver'],
      call: async (token, w) =>
        (await t.api.get(`/api/v1/assessments?region=${township[w]}&period=2026-H2`, { token })).status,
    },
    {
      route: 'GET /lecture-sessions?region=',
      allowed: ['admin', 'operator', 'approver', 'lecturer'],
      call: async (token, w) => (await t.api.get(`/api/v1/lecture-sessions?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /orders?region=',
      allowed: ['admin', 'operator', 'lecturer'],
      call: async (token, w) => (await t.api.get(`/api/v1/orders?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /points?region=',
      allowed: ['admin', 'operator'],
      call: async (token, w) => (await t.api.get(`/api/v1/points?region=${township[w]}`, { token })).status,
    },
    {
      route: 'GET /teams?region=',
      allowed: ['admin', 'operator', 'approver', 'lecturer'],
      call: async (token, w) => (await t.api.get(`/api/v1/teams?region=${village[w]}`, { token })).status,
    },
    {
      route: 'POST /teams',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/teams',
            { name: `宣讲队${++made}`, regionCode: village[w], members: [{ userId: lecturerId }] },
            { token },
          )
        ).status,
    },
    {
      route: 'POST /orders',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (await t.api.post('/api/v1/orders', { topicId, regionCode: village[w] }, { token })).status,
    },
    {
      route: 'GET /regions/:code/poster',
      allowed: ['admin', 'operator'],
      call: async (token, w) => (await t.api.get(`/api/v1/regions/${village[w]}/poster`, { token })).status,
    },
    {
      route: 'POST /regions/:code/poster',
      allowed: ['admin', 'operator'],
      call: async (token, w) => (await t.api.post(`/api/v1/regions/${village[w]}/poster`, undefined, { token })).status,
    },
    {
      route: 'GET /orders/:id/team-suggestions',
      allowed: ['admin', 'operator'],
      call: async (token, w) => (await t.api.get(`/api/v1/orders/${orders[w]}/team-suggestions`, { token })).status,
    },
    {
      route: 'GET /redemption-items?region=',
      allowed: ['admin', 'operator'],
      call: async (token, w) => (await t.api.get(`/api/v1/redemption-items?region=${township[w]}`, { token })).status,
    },
    {
      route: 'POST /redemption-items',
      allowed: ['admin', 'operator'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/redemption-items',
            { regionCode: township[w], name: `毛巾${++made}`, pointsPrice: 10, stock: 1 },
            { token },
          )
        ).status,
    },
    {
      route: 'POST /lecture-sessions',
      allowed: ['admin', 'operator', 'lecturer'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/lecture-sessions',
            {
              topicId,
              mode: 'onsite',
              regionCode: village[w],
              startsAt: new Date().toISOString(),
              plannedMinutes: 60,
              lecturerIds: [lecturerId],
              teamId,
            },
            { token },
          )
        ).status,
    },
    {
      route: 'POST /webhooks',
      allowed: ['admin'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/webhooks',
            { regionCode: village[w], name: '钉钉', url: 'https://dingtalk.example.org/robot' },
            { token },
          )
        ).status,
    },
    {
      route: 'GET /webhooks/:id/deliveries',
      allowed: ['admin'],
      call: async (token, w) => (await t.api.get(`/api/v1/webhooks/${webhooks[w]}/deliveries`, { token })).status,
    },
    {
      route: 'POST /notification-rules',
      allowed: ['admin'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/notification-rules',
            { regionCode: village[w], kind: 'order_deadline', roles: ['operator'] },
            { token },
          )
        ).status,
    },
    {
      route: 'PUT /notification-rules/:id',
      allowed: ['admin'],
      call: async (token, w) =>
        (
          await t.api.request(
            'PUT',
            `/api/v1/notification-rules/${rules[w]}`,
            { kind: 'endpoint_fault', roles: ['operator', 'admin'] },
            { token },
          )
        ).status,
    },
    {
      route: 'POST /users',
      allowed: ['admin'],
      call: async (token, w) =>
        (
          await t.api.post(
            '/api/v1/users',
            { username: `made${++made}`, password: 'a long enough password', role: 'lecturer', scopeCode: village[w] },
            { token },
          )
        ).status,
    },
  ];

  for (const { route, allowed, call } of cases) {
    for (const role of ['admin', 'operator', 'approver', 'lecturer'] as Role[]) {
      const inside = allowed.includes(role) ? 'succeeds' : 'is 403';
      it(`${route}: ${role} inside scope ${inside}, outside scope is 403`, async () => {
        const insideStatus = await call(tokens[role], 'inside');
        if (allowed.includes(role)) expect([200, 201]).toContain(insideStatus);
        else expect(insideStatus).toBe(403);
        expect(await call(tokens[role], 'outside')).toBe(403);
      });
    }
  }

  it('gives every route an access rule (a route without one would be refused)', () => {
    const discovery = t.app.get(DiscoveryService);
    const scanner = t.app.get(MetadataScanner);
    const reflector = t.app.get(Reflector);
    const missing: string[] = [];
    let routes = 0;
    for (const controller of discovery.getControllers()) {
      const prototype = Object.getPrototypeOf(controller.instance);
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        routes++;
        const rule = reflector.getAllAndOverride(ACCESS_RULE, [handler, controller.metatype]);
        if (!rule)
          missing.push(`${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)]} ${controller.name}.${name}`);
      }
    }
    expect(routes).toBeGreaterThanOrEqual(13);
    expect(missing).toEqual([]);
  });
});
