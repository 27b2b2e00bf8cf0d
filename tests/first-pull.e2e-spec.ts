import { randomBytes, randomUUID } from 'node:crypto';
import { hashSecret } from '../src/endpoints/domain/secrets';
import { EndpointsRepository } from '../src/endpoints/endpoints.repository';
import { AccessRegistry } from '../src/auth/access.registry';
import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, DAXING_VILLAGE, importSongtao } from './helpers/factories';
import { waitFor } from './helpers/processes';

const DEVICES = 200;

interface Device {
  id: string;
  token: string;
}

/**
 * A device's first pull from a process looks its token up in Postgres and
 * records the fetch. Pulls arriving together share those statements: one
 * token look-up and one upsert of fetch records for a batch, each pull
 * answered once its own record is written. Postgres counts the fetch-record
 * statements with a trigger (an upsert fires the statement triggers of
 * INSERT even when it updates); the look-ups, which no trigger sees, are
 * counted at the repository, one statement a call. (pg_stat_statements would
 * need a restart of the Postgres every test shares.)
 */
describe('first pulls of many devices at once', () => {
  let t: TestApp;
  let repository: EndpointsRepository;
  let devices: Device[];
  let admin: string;

  const pull = (token: string) =>
    fetch(`${t.url}/api/v1/device/playlist`, { headers: { authorization: `Bearer ${token}` } });
  const fetchStatements = async () =>
    (await sql<{ statements: number }>(t.database, 'SELECT statements FROM fetch_inserts'))[0].statements;
  const newDevices = async (count: number): Promise<Device[]> => {
    const made = Array.from({ length: count }, () => ({ id: randomUUID(), token: randomBytes(32).toString('hex') }));
    await sql(
      t.database,
      `INSERT INTO endpoint (id, region_code, name, token_hash, enrolled_at)
       SELECT id, $3, '喇叭' || n, hash, now() FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS d(id, hash, n)`,
      [made.map((device) => device.id), made.map((device) => hashSecret(device.token)), DAXING_VILLAGE],
    );
    return made;
  };
  const failureLogs = () => t.logs.filter((line) => line.msg === 'request failed');

  beforeAll(async () => {
    t = await startApp();
    repository = t.app.get(EndpointsRepository);
    admin = await adminToken(t);
    await importSongtao(t, admin);
    devices = await newDevices(DEVICES);
    await sql(
      t.database,
      `CREATE TABLE fetch_inserts (statements int NOT NULL);
       INSERT INTO fetch_inserts VALUES (0);
       CREATE FUNCTION count_fetch_insert() RETURNS trigger LANGUAGE plpgsql AS
         $$ BEGIN UPDATE fetch_inserts SET statements = statements + 1; RETURN NULL; END $$;
       CREATE TRIGGER count_fetch_inserts AFTER INSERT ON playlist_fetch FOR EACH STATEMENT EXECUTE FUNCTION count_fetch_insert();`,
    );
  }, 60_000);
  afterAll(() => t?.close());
  afterEach(() => jest.restoreAllMocks());

  it(`answers ${DEVICES} concurrent first pulls with far fewer than ${2 * DEVICES} statements, every fetch recorded with its version`, async () => {
    // The look-ups held until every pull has reached the server: they are then all there at once, however the
    // machine schedules the test's requests (sent from this process, they would otherwise trickle in).
    const arrived = jest.spyOn(t.app.get(AccessRegistry), 'device');
    const original = repository.devicesByTokenHashes.bind(repository);
    const lookups = jest.spyOn(repository, 'devicesByTokenHashes').mockImplementation(async (hashes) => {
      await waitFor('every pull to reach the server', async () =>
        arrived.mock.calls.length >= DEVICES ? true : undefined,
      );
      return original(hashes);
    });
    const replies = await Promise.all(
      devices.map(async (device) => {
        const reply = await pull(device.token);
        return { status: reply.status, body: (await reply.json()) as { endpointId: string; version: string } };
      }),
    );
    expect(replies.map((reply) => reply.status)).toEqual(devices.map(() => 200));
    expect(replies.map((reply) => reply.body.endpointId)).toEqual(devices.map((device) => device.id));

    const statements = lookups.mock.calls.length + (await fetchStatements());
    console.log(
      lookups.mock.calls.map((call) => call[0].length),
      await fetchStatements(),
    );
    // One at a time, 2 a pull (400); here the two look-ups already out when the rest came, one for the rest, and
    // the fetch records of pulls answered together in one upsert (4 in all, as it runs).
    expect(statements).toBeLessThanOrEqual(10);
    expect(lookups.mock.calls.flat(2)).toHaveLength(DEVICES);

    const recorded = await sql<{ endpoint_id: string; version: string }>(
      t.database,
      'SELECT endpoint_id, version FROM playlist_fetch WHERE endpoint_id = ANY($1::uuid[])',
      [devices.map((device) => device.id)],
    );
    expect(new Map(recorded.map((row) => [row.endpoint_id, row.version]))).toEqual(
      new Map(replies.map((reply) => [reply.body.endpointId, reply.body.version])),
    );
  });

  it('refuses a revoked token with 401 in the same look-up as a live one answered 200', async () => {
    const [live, revoked, first, second] = await newDevices(4);
    expect((await pull(revoked.token)).status).toBe(200);
    const revoking = await t.api.post(`/api/v1/endpoints/${revoked.id}/revoke`, undefined, { token: admin });
    expect(revoking.body).toMatchObject({ status: 'revoked' });

    // Both look-up slots held until released, so the live and the revoked token queue up for one batch.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = repository.devicesByTokenHashes.bind(repository);
    const lookups = jest.spyOn(repository, 'devicesByTokenHashes').mockImplementation(async (hashes) => {
      await gate;
      return original(hashes);
    });
    const held = [pull(first.token)];
    await waitFor('the first look-up', async () => (lookups.mock.calls.length === 1 ? true : undefined));
    held.push(pull(second.token));
    await waitFor('the second look-up', async () => (lookups.mock.calls.length === 2 ? true : undefined));
    const together = [pull(live.token), pull(revoked.token)];
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();

    const [liveReply, revokedReply] = await Promise.all(together);
    expect([liveReply.status, revokedReply.status]).toEqual([200, 401]);
    expect(await revokedReply.json()).toMatchObject({ statusCode: 401, message: 'Device token is invalid or revoked' });
    expect((await Promise.all(held)).map((reply) => reply.status)).toEqual([200, 200]);
    expect(lookups.mock.calls[2][0]).toEqual(
      expect.arrayContaining([hashSecret(live.token), hashSecret(revoked.token)]),
    );
  });

  it('fails the pulls of a batch Postgres failed with a logged 500, each in the error shape, and answers the next', async () => {
    const [a, b, c, d] = await newDevices(4);
    const lost = new Error('Connection terminated unexpectedly');

    const lookups = jest.spyOn(repository, 'devicesByTokenHashes').mockRejectedValue(lost);
    const before = failureLogs().length;
    const failed = await Promise.all([pull(a.token), pull(b.token)]);
    expect(failed.map((reply) => reply.status)).toEqual([500, 500]);
    for (const reply of failed) {
      const body = await reply.json();
      expect(body).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'Internal server error',
        requestId: reply.headers.get('x-request-id'),
      });
    }
    expect(failureLogs().length - before).toBe(2);
    lookups.mockRestore();

    // Look-ups work again; now the fetch record fails, and a pull is not answered without its own.
    const writes = jest.spyOn(repository, 'recordFetches').mockRejectedValue(lost);
    expect((await Promise.all([pull(a.token), pull(c.token)])).map((reply) => reply.status)).toEqual([500, 500]);
    writes.mockRestore();
    const none = await sql(t.database, 'SELECT 1 FROM playlist_fetch WHERE endpoint_id = ANY($1::uuid[])', [
      [a.id, b.id, c.id],
    ]);
    expect(none).toEqual([]);

    expect((await Promise.all([a, b, c, d].map((device) => pull(device.token)))).map((r) => r.status)).toEqual([
      200, 200, 200, 200,
    ]);
    const recorded = await sql(t.database, 'SELECT 1 FROM playlist_fetch WHERE endpoint_id = ANY($1::uuid[])', [
      [a.id, b.id, c.id, d.id],
    ]);
    expect(recorded).toHaveLength(4);
  });
});
