import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../src/auth/domain/permissions';
import { ADMIN, type TestApp } from './app';

export const REGIONS_DIR = join(__dirname, '../fixtures/regions');
export const songtaoCsv = () => readFileSync(join(REGIONS_DIR, 'songtao.csv'), 'utf8');

// Two townships of Songtao and a village in each, from the real division codes.
export const SONGTAO = '520628000000';
export const DAXING = '520628001000'; // 大兴街道
export const DAXING_VILLAGE = '520628001001'; // 白岩社区
export const PANSHI = '520628101000'; // 盘石镇
export const PANSHI_VILLAGE = '520628101101'; // 盘石社区

export async function adminToken(t: TestApp): Promise<string> {
  return login(t, ADMIN.username, ADMIN.password);
}

export async function login(t: TestApp, username: string, password: string): Promise<string> {
  const reply = await t.api.post('/api/v1/auth/login', { username, password });
  if (reply.status !== 200)
    throw new Error(`login as ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.accessToken;
}

export async function importSongtao(t: TestApp, token: string) {
  const reply = await t.api.post('/api/v1/regions/import', undefined, {
    token,
    raw: songtaoCsv(),
    headers: { 'content-type': 'text/csv' },
  });
  if (reply.status !== 200) throw new Error(`import failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

let users = 0;
/** Creates a user through the admin API and signs in as them. */
export async function userToken(t: TestApp, admin: string, role: Role, scopeCode: string | null): Promise<string> {
  const username = `${role}${++users}`;
  const password = `${role}-password-${users}`;
  const reply = await t.api.post('/api/v1/users', { username, password, role, scopeCode }, { token: admin });
  if (reply.status !== 201)
    throw new Error(`creating ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return login(t, username, password);
}

/** Creates a named user (password: "<name>-password") and signs in as them. */
export async function person(
  t: TestApp,
  admin: string,
  name: string,
  role: Role,
  scopeCode: string,
  displayName?: string,
): Promise<{ id: string; token: string }> {
  const reply = await t.api.post(
    '/api/v1/users',
    { username: name, password: `${name}-password`, role, scopeCode, displayName },
    { token: admin },
  );
  if (reply.status !== 201) throw new Error(`creating ${name} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { id: reply.body.id, token: await login(t, name, `${name}-password`) };
}

export async function createEndpoint(t: TestApp, token: string, regionCode: string, name = '村委会门口') {
  const reply = await t.api.post('/api/v1/endpoints', { regionCode, name }, { token });
  if (reply.status !== 201) throw new Error(`creating endpoint failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; enrollmentCode: string; enrollmentExpiresAt: string };
}

export async function enroll(t: TestApp, enrollmentCode: string, serial = 'SN-0001') {
  const reply = await t.api.post('/api/v1/devices/enroll', { enrollmentCode, serial });
  if (reply.status !== 200) throw new Error(`enroll failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { endpointId: string; token: string };
}

/**
 * Carries an order through 派单 and 接单 to its delivery: `dispatcher`
 * dispatches it to the team, the lecturer (a member) accepts it and completes
 * an on-site session of an hour that delivers it in the order's village.
 */
export async function deliverOrder(
  t: TestApp,
  order: { id: string; topicId: string; regionCode: string },
  teamId: string,
  dispatcher: string,
  lecturer: { id: string; token: string },
): Promise<void> {
  const call = async (path: string, token: string, body?: unknown) => {
    const reply = await t.api.post(path, body, { token });
    if (reply.status >= 300) throw new Error(`${path} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  await call(`/api/v1/orders/${order.id}/dispatch`, dispatcher, { teamId });
  await call(`/api/v1/orders/${order.id}/accept`, lecturer.token);
  const session = await call('/api/v1/lecture-sessions', lecturer.token, {
    topicId: order.topicId,
    mode: 'onsite',
    regionCode: order.regionCode,
    startsAt: new Date(Date.now() - 60 * 60_000).toISOString(),
    plannedMinutes: 60,
    lecturerIds: [lecturer.id],
    teamId,
    orderId: order.id,
  });
  await call(`/api/v1/lecture-sessions/${session.id}/complete`, lecturer.token, { attendance: 35, actualMinutes: 60 });
}
