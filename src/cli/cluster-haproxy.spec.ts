import { haproxyConfig, serverStates } from './cluster-haproxy';
import { startCluster } from './cluster';

// A shortened `show stat` CSV as HAProxy 2.6 writes it (the real one has ~100 columns).
const CSV = [
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status',
  'dalaba,FRONTEND,,,3,5,100,9,0,0,0,0,0,,,,,OPEN',
  'api,api1,0,0,2,3,,5,0,0,,0,,0,0,0,0,UP',
  'api,api2,0,0,0,1,,2,0,0,,0,,3,0,0,0,DOWN',
  'api,api3,0,0,1,1,,2,0,0,,0,,0,0,0,0,UP 1/3',
  'api,BACKEND,0,0,3,5,10,9,0,0,0,0,,3,0,0,0,UP',
  'stats,FRONTEND,,,1,1,100,1,0,0,0,0,0,,,,,OPEN',
].join('\n');

describe('the cluster launcher', () => {
  it('refuses a cluster without an API process, or with a fraction of a worker, before starting anything', async () => {
    await expect(startCluster({ api: 0, workers: 1, env: {} })).rejects.toThrow('api: at least one API process');
    await expect(startCluster({ api: 1, workers: 1.5, env: {} })).rejects.toThrow('workers: a whole number');
  });

  it("reads each API process's state from HAProxy's statistics, and nothing from an empty answer", () => {
    expect(serverStates('')).toEqual(new Map());
    expect(serverStates(CSV)).toEqual(
      new Map([
        ['api1', 'UP'],
        ['api2', 'DOWN'],
        ['api3', 'UP 1/3'],
      ]),
    );
  });

  it('writes one server line per API process, named as X-Served-By will name it', () => {
    const config = haproxyConfig({
      host: '0.0.0.0',
      port: 3000,
      statsPort: 3100,
      servers: [
        { name: 'api1', port: 3001 },
        { name: 'api2', port: 3002 },
      ],
      balance: 'roundrobin',
      checkIntervalMs: 500,
      maxConnections: 20_000,
    });
    // Twice: the devices' backend (by token) has the same servers under the same names.
    expect(config.match(/^ {2}server .*$/gm)).toEqual([
      ...['  server api1 127.0.0.1:3001', '  server api2 127.0.0.1:3002'],
      ...['  server api1 127.0.0.1:3001', '  server api2 127.0.0.1:3002'],
    ]);
    expect(config.match(/option httpchk GET \/health/g)).toHaveLength(2);
    expect(config).toContain('  use_backend devices if device_call !device_stream\n');
    expect(config).toContain('  balance hdr(Authorization)\n  hash-type consistent\n');
    expect(config).toContain('  bind 0.0.0.0:3000\n');
    expect(config).toContain('  balance roundrobin\n');
    expect(config).toContain('check inter 500ms');
    expect(config.match(/maxconn 20000/g)).toHaveLength(2);
  });
});
