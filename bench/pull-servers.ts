import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import { createHttpApp } from '../src/app';
import { createRootLogger } from '../src/infra/logging/logger';
import { benchConfig } from './bench-kit';

// bench:pull's two servers, each in a process of its own: the app, and bare
// Fastify returning the app's bytes. Neither shares an event loop with the
// other or with the bench's bookkeeping, and each has a core's worth of the
// machine as a deployed server would, while wrk has the other.

/** What a server process is asked to be. */
export type ServerRole = (
  | { kind: 'app'; database: string; prefix: string; env: Record<string, string> }
  | { kind: 'bare'; path: string; served: ServedPlaylist }
) & { cpuProfile?: string };

/**
 * What the app answered a device: the bare server sends the very same bytes,
 * its headers included (security headers, caching, a fresh request id each
 * time), so the floor writes as much as the app does.
 */
export interface ServedPlaylist {
  body: string;
  headers: Record<string, string> & { 'content-type': string; etag: string };
}

/** The app's response headers the bare server repeats: all but those Node writes itself or that differ per request. */
export function repeatableHeaders(headers: Headers): ServedPlaylist['headers'] {
  const kept = [...headers].filter(([name]) => !PER_RESPONSE.has(name));
  return Object.fromEntries(kept) as ServedPlaylist['headers'];
}
const PER_RESPONSE = new Set([
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
  'x-request-id',
]);

type Command = { kind: 'start'; role: ServerRole } | { kind: 'mark' } | { kind: 'busy' } | { kind: 'stop' };
type Report = { kind: 'listening'; port: number; adminUsername?: string } | ({ kind: 'busy' } & Busy);

/** How hard a server worked since the mark. */
export interface Busy {
  /** Its event loop's busy share (0–1): near 1, the server was the limit, not wrk. */
  utilization: number;
  /** CPU time it used (user + system), µs: on a shared machine steadier than its rate, as waiting for a core costs none. */
  cpuMicros: number;
}

/** The parent's handle on one server process. */
export class ServerProcess {
  private waiting: ((report: Report) => void) | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly adminUsername: string | undefined,
  ) {
    child.on('message', (report: Report) => this.waiting?.(report));
  }

  static start(role: ServerRole): Promise<ServerProcess> {
    const child = fork(__filename, { stdio: 'inherit' });
    return new Promise((resolve, reject) => {
      child.once('message', (report: Report) => {
        if (report.kind !== 'listening') return reject(new Error(`a ${role.kind} server said ${report.kind} first`));
        child.removeListener('exit', early);
        resolve(new ServerProcess(child, `http://127.0.0.1:${report.port}`, report.adminUsername));
      });
      const early = (code: number | null) => reject(new Error(`the ${role.kind} server exited with code ${code}`));
      child.once('exit', early);
      child.send({ kind: 'start', role } satisfies Command);
    });
  }

  /** From now on its event loop's busy share is measured (and the app's profile taken, if asked for). */
  mark(): void {
    this.child.send({ kind: 'mark' } satisfies Command);
  }

  /** How hard it worked since the mark. */
  busy(): Promise<Busy> {
    return new Promise((resolve) => {
      this.waiting = (report) => {
        if (report.kind === 'busy') resolve(report);
      };
      this.child.send({ kind: 'busy' } satisfies Command);
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ kind: 'stop' } satisfies Command);
    });
  }
}

/** The least a server can do for a pull: see that there is a token, then send stored bytes, or 304 when held. */
function bareServer(path: string, served: ServedPlaylist): FastifyInstance {
  const bare = Fastify();
  const { 'content-type': _contentType, ...notModified } = served.headers;
  bare.get(path, async (request, reply) => {
    if (!request.headers.authorization) return reply.code(401).send();
    reply.headers(notModified).header('x-request-id', randomUUID());
    if (request.headers['if-none-match'] === served.headers.etag) return reply.code(304).send();
    return reply.header('content-type', served.headers['content-type']).send(served.body);
  });
  return bare;
}

/** Takes a CPU profile of the measured rounds, written as a .cpuprofile for Chrome's DevTools. */
class Profile {
  private readonly session = new Session();
  private started = false;

  constructor(private readonly file: string) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.session.connect();
    this.session.post('Profiler.enable', () => this.session.post('Profiler.start'));
  }

  write(): Promise<void> {
    if (!this.started) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.session.post('Profiler.stop', (error, result) => {
        if (error) return reject(error);
        writeFileSync(this.file, JSON.stringify(result.profile));
        resolve();
      }),
    );
  }
}

async function serve(role: ServerRole): Promise<{ server: NestFastifyApplication | FastifyInstance; report: Report }> {
  if (role.kind === 'bare') {
    const bare = bareServer(role.path, role.served);
    await bare.listen({ port: 0, host: '127.0.0.1' });
    return { server: bare, report: { kind: 'listening', port: (bare.server.address() as { port: number }).port } };
  }
  const config = await benchConfig(role.database, role.prefix, role.env);
  const app = await createHttpApp(config, createRootLogger('warn'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  return { server: app, report: { kind: 'listening', port, adminUsername: config.admin.username } };
}

if (require.main === module) {
  let server: NestFastifyApplication | FastifyInstance | undefined;
  let profile: Profile | undefined;
  let since: EventLoopUtilization | undefined;
  let cpuSince: NodeJS.CpuUsage | undefined;
  process.on('message', (command: Command) => {
    if (command.kind === 'start') {
      if (command.role.cpuProfile) profile = new Profile(command.role.cpuProfile);
      serve(command.role).then(
        (started) => {
          server = started.server;
          process.send!(started.report);
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    } else if (command.kind === 'mark') {
      since = performance.eventLoopUtilization();
      cpuSince = process.cpuUsage();
      profile?.start();
    } else if (command.kind === 'busy') {
      const cpu = process.cpuUsage(cpuSince);
      process.send!({
        kind: 'busy',
        utilization: performance.eventLoopUtilization(since).utilization,
        cpuMicros: cpu.user + cpu.system,
      } satisfies Report);
    } else {
      // The app's open handles (queues, Redis) must not keep the process alive once closed.
      void Promise.all([profile?.write(), server?.close()]).finally(() => process.exit(0));
    }
  });
}
