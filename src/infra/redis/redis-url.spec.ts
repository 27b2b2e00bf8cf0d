import { loadConfig } from '../config/config';
import { describeRedis, parseSentinelUrl, redisUrlProblem } from './redis-url';

describe('REDIS_URL', () => {
  it.each([
    ['mysql://x', 'must be a URL starting with redis://, rediss:// or redis+sentinel://'],
    ['redis+sentinel://host1:26379', 'must look like redis+sentinel://'],
    ['redis+sentinel://host1:26379,host2:26379/', 'must look like redis+sentinel://'],
    ['redis+sentinel://host1:26379,host2:port/mymaster', 'has a Sentinel address "host2:port"'],
    ['redis+sentinel://host1:70000/mymaster', 'has a Sentinel address "host1:70000"'],
    ['redis+sentinel://host1/mymaster?database=1', 'has unknown parameters (database)'],
    ['redis+sentinel://host1/mymaster?db=one', 'has a db that is not a number'],
  ])('refuses %s, saying why', (url, problem) => {
    expect(redisUrlProblem(url)).toContain(problem);
    expect(() => loadConfig({ REDIS_URL: url })).toThrow(`Invalid configuration: REDIS_URL ${problem}`);
  });

  it('reads the Sentinels, the master name, the password and the db', () => {
    expect(
      parseSentinelUrl('redis+sentinel://:p%40ss@10.0.0.1:26380,[fd00::2],sentinel-3/mymaster?db=2&sentinelPassword=s'),
    ).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26380 },
        { host: 'fd00::2', port: 26379 },
        { host: 'sentinel-3', port: 26379 },
      ],
      name: 'mymaster',
      username: undefined,
      password: 'p@ss',
      sentinelPassword: 's',
      db: 2,
    });
    expect(redisUrlProblem('redis://127.0.0.1:6379/1')).toBeUndefined();
  });

  it('describes where Redis is without the password', () => {
    expect(describeRedis('redis+sentinel://:secret@h1:26379,h2:26379/mymaster')).toBe(
      'Redis master "mymaster" through Sentinel at h1:26379, h2:26379 (REDIS_URL)',
    );
    expect(describeRedis('redis://:secret@10.0.0.5')).toBe('Redis at 10.0.0.5:6379 (REDIS_URL)');
  });
});
