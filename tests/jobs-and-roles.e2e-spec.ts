import { createWorkerContext } from '../src/app';
import { EndpointJobs } from '../src/endpoints/endpoints.jobs';
import { createRootLogger } from '../src/infra/logging/logger';
import { startApp, type TestApp } from './helpers/app';
import { sql } from './helpers/databases';
import { adminToken, createEndpoint, DAXING_VILLAGE, importSongtao } from './helpers/factories';
import { waitFor } from './helpers/processes';

async function endpointWithStaleCode(t: TestApp): Promise<string> {
  const admin = await adminToken(t);
  await importSongtao(t, admin);
  const { id } = await createEndpoint(t, admin, DAXING_VILLAGE);
  await sql(t.database, "UPDATE enrollment_code SET expires_at = now() - interval '31 days' WHERE endpoint_id = $1", [
    id,
  ]);
  return id;
}

const codesOf = async (t: TestApp, id: string) =>
  (await sql(t.database, 'SELECT id FROM enrollment_code WHERE endpoint_id = $1', [id])).length;

describe('queued jobs and APP_ROLE', () => {
  it('role all: the nightly schedule enqueues once per day and the worker purges long-expired codes', async () => {
    const t = await startApp({ APP_ROLE: 'all' });
    try {
      const id = await endpointWithStaleCode(t);
      const jobs = t.app.get(EndpointJobs);
      await jobs.schedulePurge();
      await jobs.schedulePurge();
      await waitFor('the purge', async () => ((await codesOf(t, id)) === 0 ? true : undefined));
      const health = await t.api.get('/health');
      expect(health.body.checks.queue.counts.failed).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('role api only enqueues; a separate worker process context consumes', async () => {
    const t = await startApp({ APP_ROLE: 'api' });
    try {
      const id = await endpointWithStaleCode(t);
      await t.app.get(EndpointJobs).schedulePurge();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await codesOf(t, id)).toBe(1);
      expect((await t.api.get('/health')).body.checks.queue.counts.waiting).toBe(1);

      const worker = await createWorkerContext({ ...t.config, role: 'worker' }, createRootLogger('silent'));
      try {
        await waitFor('the worker to purge', async () => ((await codesOf(t, id)) === 0 ? true : undefined));
      } finally {
        await worker.close();
      }
      expect((await t.api.get('/health')).body.checks.queue.counts.waiting).toBe(0);
    } finally {
      await t.close();
    }
  });
});
