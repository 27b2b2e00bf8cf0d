import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// js-yaml comes with @nestjs/swagger (a dependency of the service), pinned there.
import { CORE_SCHEMA, load as loadYaml, mergeTag } from 'js-yaml';
import { haproxyConfig } from '../src/cli/cluster-haproxy';

// Docker is not available where the tests run: docker-compose.yml is checked
// as data (every service can start, every volume and dependency exists, the
// API replicas sit behind HAProxy), and both balancer configurations are
// checked by the balancers themselves.

const ROOT = join(__dirname, '..');
// Compose merges `<<: *anchor` keys (YAML 1.1's merge), which js-yaml's default schema leaves out.
const load = (text: string) => loadYaml(text, { schema: CORE_SCHEMA.withTags(mergeTag) });
const COMPOSE = join(ROOT, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, unknown> | string[];
  deploy?: { replicas?: string | number };
  profiles?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks?: { default?: { ipam?: { config?: Array<{ subnet: string }> } } };
  'x-dalaba-env': Record<string, string>;
}

/** The lines of one section (`defaults`, `backend api`…) of an HAProxy configuration, comments and blank lines dropped. */
function section(config: string, header: string): string[] {
  const lines = config.split('\n').map((line) => line.replace(/#.*/, '').trimEnd());
  const start = lines.indexOf(header);
  if (start === -1) throw new Error(`no "${header}" section`);
  const end = lines.findIndex((line, index) => index > start && /^\S/.test(line));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .map((line) => line.trim())
    .filter(Boolean);
}

describe('docker-compose.yml and the balancer configurations', () => {
  const compose = load(readFileSync(COMPOSE, 'utf8')) as Compose;
  const { services } = compose;
  const generated = haproxyConfig({
    host: '127.0.0.1',
    port: 3000,
    statsPort: 3001,
    servers: [{ name: 'api1', port: 3002 }],
    balance: 'leastconn',
    checkIntervalMs: 2000,
  });

  it('tells a broken compose file from a good one', () => {
    expect(() => load('services:\n  api:\n    environment: *undefined-anchor\n')).toThrow();
    expect(() => section('global\n  maxconn 1\n', 'defaults')).toThrow('no "defaults" section');
  });

  it('gives every service something to run, and names only volumes and services that exist', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, Boolean(service.image || service.build)]).toEqual([name, true]);
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('.')) expect([volume, existsSync(join(ROOT, source))]).toEqual([volume, true]);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
      const needs = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const needed of needs) expect(Object.keys(services)).toContain(needed);
      // A service of the default stack cannot wait for one started only with a profile.
      if (!service.profiles) for (const needed of needs) expect(services[needed].profiles).toBeUndefined();
    }
  });

  it('runs API replicas and worker replicas on the shared settings, each role its own', () => {
    const shared = compose['x-dalaba-env'];
    expect(Object.keys(shared)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'JWT_SECRET']));
    for (const [name, role] of [
      ['api', 'api'],
      ['worker', 'worker'],
    ]) {
      const service = services[name];
      // The anchor merged: every shared setting, and the role on top.
      expect(service.environment).toMatchObject({ ...shared, APP_ROLE: role });
      expect(String(service.deploy?.replicas)).toMatch(/^\$\{\w+:-\d+\}$/);
      // Scaled replicas cannot all publish the same port: only HAProxy does.
      expect(service.ports).toBeUndefined();
    }
    expect(services.worker.healthcheck?.test?.join(' ')).toContain(
      `127.0.0.1:${services.worker.environment?.WORKER_HEALTH_PORT}/health`,
    );
  });

  it('puts HAProxy in front, trusted by the API for X-Forwarded-For, on its own configuration', () => {
    const haproxy = services.haproxy;
    expect(haproxy.image).toMatch(/^haproxy:2\./);
    expect(haproxy.ports).toEqual(['${PORT:-3000}:3000']);
    expect(haproxy.volumes).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const subnet = compose.networks?.default?.ipam?.config?.[0].subnet;
    expect(subnet).toBeDefined();
    expect(services.api.environment?.TRUSTED_PROXIES).toBe(subnet);
    expect(services.minio.profiles).toEqual(['s3']);
  });

  it('has an HAProxy configuration HAProxy accepts, finding the replicas by DNS, with the launcher`s defaults', () => {
    const file = join(ROOT, 'deploy/haproxy.cfg');
    expect(() => execFileSync('haproxy', ['-c', '-q', '-f', file])).not.toThrow();
    const deployed = readFileSync(file, 'utf8');
    const backend = section(deployed, 'backend api');
    expect(backend).toContain('server-template api 10 api:3000 resolvers docker init-addr none');
    expect(section(deployed, 'resolvers docker')).toContain('nameserver dns 127.0.0.11:53');
    // What `npm run cluster` runs and the tests exercise is what compose runs.
    const withoutLimits = (lines: string[]) => lines.filter((line) => !line.startsWith('maxconn'));
    expect(withoutLimits(section(deployed, 'defaults'))).toEqual(withoutLimits(section(generated, 'defaults')));
    const rules = (lines: string[]) => lines.filter((line) => !/^(server|server-template) /.test(line));
    expect(rules(backend)).toEqual(rules(section(generated, 'backend api')));
    // Device calls but the event stream go by token to the same replicas, checked as well.
    const routing = (lines: string[]) => lines.filter((line) => !line.startsWith('bind '));
    expect(routing(section(deployed, 'frontend dalaba'))).toEqual(routing(section(generated, 'frontend dalaba')));
    const devices = section(deployed, 'backend devices');
    expect(devices).toEqual(expect.arrayContaining(['balance hdr(Authorization)', 'hash-type consistent']));
    expect(devices).toContain('server-template api 10 api:3000 resolvers docker init-addr none');
    expect(rules(devices)).toEqual(rules(section(generated, 'backend devices')));

    // And HAProxy refuses a broken one, so the check above means something.
    const work = mkdtempSync(join(tmpdir(), 'dalaba-haproxy-'));
    try {
      writeFileSync(join(work, 'broken.cfg'), deployed.replace('balance leastconn', 'balance fewest'));
      expect(() => execFileSync('haproxy', ['-c', '-q', '-f', join(work, 'broken.cfg')], { stdio: 'pipe' })).toThrow();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('has an nginx example nginx accepts, with unbuffered event streams', () => {
    const file = join(ROOT, 'deploy/nginx.conf');
    const work = mkdtempSync(join(tmpdir(), 'dalaba-nginx-'));
    try {
      execFileSync(
        'nginx',
        ['-t', '-q', '-c', file, '-p', `${work}/`, '-g', `pid ${work}/nginx.pid; error_log stderr;`],
        {
          stdio: 'pipe',
        },
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    const config = readFileSync(file, 'utf8');
    expect(config).toMatch(/location = \/api\/v1\/device\/events \{[^}]*proxy_buffering off;/);
    expect(config).toMatch(/least_conn;/);
    // Device calls but the event stream (an exact match, which nginx prefers) by token, to the same processes.
    expect(config).toMatch(/upstream dalaba_devices \{[^}]*hash \$http_authorization consistent;/);
    expect(config).toMatch(/location \/api\/v1\/device\/ \{\s*proxy_pass http:\/\/dalaba_devices;/);
    const servers = (upstream: string) =>
      new RegExp(`upstream ${upstream} \\{([^}]*)\\}`).exec(config)![1].match(/server \S+/g);
    expect(servers('dalaba_devices')).toEqual(servers('dalaba_api'));
  });
});
