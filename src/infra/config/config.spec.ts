import { ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/dalaba',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.http.port).toBe(3000);
    expect(config.mediaDir).toBe('./media');
    expect(config.role).toBe('all');
    expect(config.admin.username).toBe('admin');
    expect(config.admin.password).toBeUndefined();
    expect(config.endpoints.onlineSeconds).toBe(180);
    expect(config.endpoints.enrollmentCodeTtlHours).toBe(168);
    expect(config.jwt).toMatchObject({ ttlSeconds: 900, refreshTtlSeconds: 43200 });
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'Invalid configuration: DATABASE_URL is required but not set'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ REDIS_URL: '' }, 'Invalid configuration: REDIS_URL is required but not set'],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT'],
    [{ APP_ROLE: 'both' }, 'Invalid configuration: APP_ROLE'],
    [{ JWT_SECRET: 'short' }, 'Invalid configuration: JWT_SECRET must be at least 32 characters'],
    [{ ADMIN_PASSWORD: 'abc' }, 'Invalid configuration: ADMIN_PASSWORD must be at least 12 characters'],
    [{ ADMIN_PASSWORD: 'Password1234' }, 'Invalid configuration: ADMIN_PASSWORD is one of the most common passwords; choose another'],
    [{ ADMIN_PASSWORD: '             ' }, 'Invalid configuration: ADMIN_PASSWORD must not be only spaces'],
  ])('refuses %j with one line naming the variable', (override, message) => {
    const attempt = () => loadConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('reads the role and port', () => {
    const config = loadConfig({ ...valid, APP_ROLE: 'worker', PORT: '8080' });
    expect(config.role).toBe('worker');
    expect(config.http.port).toBe(8080);
  });
});
