import { loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/dalaba',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: '3f0c9a1d8b7e6f5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c',
};

describe('the metrics and worker health settings', () => {
  it.each([
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN must be at least 24 characters'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT must differ from PORT and WORKER_HEALTH_PORT'],
    [{ METRICS_PORT: '9400', WORKER_HEALTH_PORT: '9400' }, 'METRICS_PORT must differ from PORT and WORKER_HEALTH_PORT'],
    [{ WORKER_HEALTH_PORT: '-1' }, 'WORKER_HEALTH_PORT Too small'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({ ...valid, ...env })).toThrow(`Invalid configuration: ${message}`);
  });

  it('serves no metrics unless told, and a worker health port by default', () => {
    expect(loadConfig(valid).operations).toMatchObject({ metrics: {}, workerHealthPort: 3001 });
    const chosen = loadConfig({
      ...valid,
      METRICS_PORT: '9400',
      METRICS_TOKEN: 'x'.repeat(24),
      WORKER_HEALTH_PORT: '0',
    });
    expect(chosen.operations).toMatchObject({ metrics: { port: 9400, token: 'x'.repeat(24) }, workerHealthPort: 0 });
  });
});
