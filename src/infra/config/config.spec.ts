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
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'Invalid configuration: DATABASE_URL is required but not set'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ REDIS_URL: '' }, 'Invalid configuration: REDIS_URL is required but not set'],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT'],
    [{ APP_ROLE: 'both' }, 'Invalid configuration: APP_ROLE'],
    [{ JWT_SECRET: 'short' }, 'Invalid configuration: JWT_SECRET must be at least 32 characters'],
    [{ ADMIN_PASSWORD: 'abc' }, 'Invalid configuration: ADMIN_PASSWORD must be at least 8 characters'],
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

  it('names every bad variable at once, one line each', () => {
    const attempt = () => loadConfig({ REDIS_URL: 'mysql://x', JWT_SECRET: 'short', APP_ROLE: 'both', PORT: '70000' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message.split('\n')).toEqual([
        'Invalid configuration: DATABASE_URL is required but not set',
        'Invalid configuration: REDIS_URL must be a URL starting with redis:// or rediss://',
        'Invalid configuration: PORT Too big: expected number to be <=65535',
        'Invalid configuration: JWT_SECRET must be at least 32 characters',
        'Invalid configuration: APP_ROLE Invalid option: expected one of "all"|"api"|"worker"',
      ]);
    }
  });

  it('reads the role and port', () => {
    const config = loadConfig({ ...valid, APP_ROLE: 'worker', PORT: '8080' });
    expect(config.role).toBe('worker');
    expect(config.http.port).toBe(8080);
  });
});
