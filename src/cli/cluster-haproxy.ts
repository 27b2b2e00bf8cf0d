/**
 * The HAProxy configuration the launcher (cluster.ts) writes for its API
 * processes; deploy/haproxy.cfg is the same shape for docker-compose, with
 * Docker's DNS in place of fixed ports. Why each line is there is in
 * docs/operations.md, "Several processes".
 */

export interface BalancedServer {
  /** HAProxy's name for it, which it also sends back in X-Served-By. */
  name: string;
  port: number;
}

export interface BalancerOptions {
  /** Where clients reach the service. */
  host: string;
  port: number;
  /** A separate listener for HAProxy's own statistics page (CSV at `/;csv`). */
  statsPort: number;
  servers: BalancedServer[];
  /** leastconn spreads long-lived event streams evenly; roundrobin suits short requests only. */
  balance: 'leastconn' | 'roundrobin';
  /** Between health checks of one server: one that answers none of three is out (refused connections take it out sooner). */
  checkIntervalMs: number;
  /** Connections HAProxy accepts at once (each costs it two file descriptors); unset, it derives one from `ulimit -n`. */
  maxConnections?: number;
}

/**
 * A device's short calls (the playlist poll above all, every few minutes from
 * every loudspeaker) go to the `devices` backend, which sends each device
 * token to the same process: its token, region and last answer are cached
 * there, so a poll costs no Postgres statement; with leastconn each process
 * would look every device up again. The event stream stays on leastconn,
 * which spreads the long-lived streams evenly. deploy/haproxy.cfg has the
 * same lines.
 */
/** The backends haproxyConfig writes, each with every API process as a server. */
export const BACKENDS = ['api', 'devices'];

const DEVICE_ROUTING = [
  '  acl device_call path_beg /api/v1/device/',
  '  acl device_stream path /api/v1/device/events',
  '  use_backend devices if device_call !device_stream',
];

/**
 * Consistent hashing: a process going down moves only its own devices (to
 * the others), and they come back when it does. A server's weight sets its
 * count of points on the hash ring, not only its share: at the default 1 one
 * of three servers took 12% fewer of 3,000 random tokens than the mean, at 100
 * all three were within sampling noise. (A request without Authorization,
 * refused anyway, goes round robin.)
 */
const DEVICE_BALANCE = ['  balance hdr(Authorization)', '  hash-type consistent'];
const DEVICE_WEIGHT = ' weight 100';

/** The health checks and servers of a backend: each backend checks its servers itself. */
function serverLines(options: BalancerOptions, extra = ''): string[] {
  return [
    // Liveness, not readiness: /health is 503 while Postgres or Redis is down, which is the same for every
    // process, and taking them all out would turn a degraded service into none.
    '  option httpchk GET /health',
    '  http-check expect rstatus ^(200|503)$',
    // Refused connections take the server out at once, without waiting for three missed checks.
    `  default-server check inter ${options.checkIntervalMs}ms fall 3 rise 1 observe layer4 error-limit 3 on-error mark-down${extra}`,
    '  http-response set-header X-Served-By %[srv_name]',
    ...options.servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port}`),
  ];
}

export function haproxyConfig(options: BalancerOptions): string {
  const maxconn = options.maxConnections ? [`  maxconn ${options.maxConnections}`] : [];
  return [
    'global',
    ...maxconn,
    '',
    'defaults',
    '  mode http',
    ...maxconn,
    '  option forwardfor',
    // A request whose server refused the connection (killed, not yet marked down) is sent to another at once.
    '  option redispatch 1',
    '  retries 3',
    '  timeout connect 5s',
    '  timeout http-request 30s',
    // An event stream is a response that never ends: these are its silence limits, well above its 20-25 s heartbeats.
    '  timeout client 90s',
    '  timeout server 90s',
    '  timeout tunnel 1h',
    '  timeout http-keep-alive 10s',
    // A busy process may take seconds to answer /health: that is not a dead one.
    '  timeout check 5s',
    '',
    'frontend dalaba',
    `  bind ${options.host}:${options.port}`,
    ...DEVICE_ROUTING,
    '  default_backend api',
    '',
    'backend api',
    `  balance ${options.balance}`,
    ...serverLines(options),
    '',
    'backend devices',
    ...DEVICE_BALANCE,
    ...serverLines(options, DEVICE_WEIGHT),
    '',
    'listen stats',
    `  bind 127.0.0.1:${options.statsPort}`,
    '  stats enable',
    '  stats uri /',
    '',
  ].join('\n');
}

/** One server's state as HAProxy's statistics CSV reports it (`UP`, `DOWN`, `MAINT`, `UP 1/2`…), by name. */
export function serverStates(csv: string, backend = 'api'): Map<string, string> {
  const [header, ...rows] = csv.trim().split('\n');
  const columns = header.replace(/^# /, '').split(',');
  const [proxy, server, status] = ['pxname', 'svname', 'status'].map((name) => columns.indexOf(name));
  const states = new Map<string, string>();
  for (const row of rows) {
    const cells = row.split(',');
    if (cells[proxy] === backend && !['FRONTEND', 'BACKEND'].includes(cells[server]))
      states.set(cells[server], cells[status]);
  }
  return states;
}
