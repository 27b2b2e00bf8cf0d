import { ConfigError, loadConfig } from './config';

const valid = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/dalaba',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: '3f0c9a1d8b7e6f5a4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918f7e6d5c',
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
    expect(config.admin.passwordFile).toBe('admin-password');
    expect(config.jwt).toMatchObject({ ttlSeconds: 900, refreshTtlSeconds: 43200 });
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'Invalid configuration: DATABASE_URL is required but not set'],
    [
      { DATABASE_URL: 'mysql://x/y' },
      'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://',
    ],
    [{ REDIS_URL: '' }, 'Invalid configuration: REDIS_URL is required but not set'],
    [{ PORT: 'eighty' }, 'Invalid configuration: PORT'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT'],
    [{ APP_ROLE: 'both' }, 'Invalid configuration: APP_ROLE'],
    [{ JWT_SECRET: 'short' }, 'Invalid configuration: JWT_SECRET must be at least 32 characters'],
    [{ ADMIN_PASSWORD: 'abc' }, 'Invalid configuration: ADMIN_PASSWORD must be at least 12 characters'],
    [
      { ADMIN_PASSWORD: 'Password1234' },
      'Invalid configuration: ADMIN_PASSWORD is one of the most common passwords; choose another',
    ],
    [{ ADMIN_PASSWORD: '             ' }, 'Invalid configuration: ADMIN_PASSWORD must not be only spaces'],
    [
      { JWT_SECRET: 'change-me-to-a-long-random-string-of-32-chars-or-more' },
      'Invalid configuration: JWT_SECRET is a placeholder',
    ],
    [{ JWT_SECRET: 'x'.repeat(64) }, 'Invalid configuration: JWT_SECRET is too easy to guess'],
    [
      { PASSWORD_HASH_CONCURRENCY: '3' },
      'Invalid configuration: PASSWORD_HASH_CONCURRENCY must leave at least two of the UV_THREADPOOL_SIZE (4) threads to file reads',
    ],
    [
      { LOGIN_LOCKOUT_SECONDS: '600', LOGIN_LOCKOUT_MAX_SECONDS: '60' },
      'Invalid configuration: LOGIN_LOCKOUT_MAX_SECONDS must be at least LOGIN_LOCKOUT_SECONDS',
    ],
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

  it('lets a larger thread pool take more password hashes at once', () => {
    expect(
      loadConfig({ ...valid, UV_THREADPOOL_SIZE: '8', PASSWORD_HASH_CONCURRENCY: '6' }).passwordHashing.concurrency,
    ).toBe(6);
  });

  it('names every bad variable at once, one line each', () => {
    const attempt = () => loadConfig({ REDIS_URL: 'mysql://x', JWT_SECRET: 'short', APP_ROLE: 'both', PORT: '70000' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message.split('\n')).toEqual([
        'Invalid configuration: DATABASE_URL is required but not set',
        'Invalid configuration: REDIS_URL must be a URL starting with redis://, rediss:// or redis+sentinel://',
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

describe('loadConfig: the HTTP edge', () => {
  it('keeps the API docs public outside production and private in production, unless DOCS_PUBLIC says otherwise', () => {
    expect(loadConfig(valid).http.docsPublic).toBe(true);
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).http.docsPublic).toBe(false);
    expect(loadConfig({ ...valid, NODE_ENV: 'production', DOCS_PUBLIC: 'true' }).http.docsPublic).toBe(true);
    expect(loadConfig({ ...valid, DOCS_PUBLIC: 'false' }).http.docsPublic).toBe(false);
  });

  it('trusts no proxy by default, and reads addresses and CIDR ranges', () => {
    expect(loadConfig(valid).http.trustedProxies).toEqual([]);
    expect(loadConfig({ ...valid, TRUSTED_PROXIES: ' 10.0.0.5, 192.168.0.0/16 ,::1' }).http.trustedProxies).toEqual([
      '10.0.0.5',
      '192.168.0.0/16',
      '::1',
    ]);
  });

  it.each([
    [{ TRUSTED_PROXIES: '*' }, 'TRUSTED_PROXIES'],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES'],
    [{ DOCS_PUBLIC: 'yes please' }, 'DOCS_PUBLIC'],
    [
      { DEVICE_EVENTS_HEARTBEAT_SECONDS: '20', HTTP_IDLE_TIMEOUT_SECONDS: '20' },
      'HTTP_IDLE_TIMEOUT_SECONDS must be longer than DEVICE_EVENTS_HEARTBEAT_SECONDS',
    ],
    [
      { HTTP_HEADERS_TIMEOUT_SECONDS: '60', HTTP_REQUEST_TIMEOUT_SECONDS: '30' },
      'HTTP_HEADERS_TIMEOUT_SECONDS must not be longer than HTTP_REQUEST_TIMEOUT_SECONDS',
    ],
    [{ HEARTBEAT_FLUSH_SECONDS: '180' }, 'HEARTBEAT_FLUSH_SECONDS must be shorter than ENDPOINT_ONLINE_SECONDS'],
  ])('refuses %j naming the variable', (override, message) => {
    expect(() => loadConfig({ ...valid, ...override })).toThrow(`Invalid configuration: ${message}`);
  });
});
