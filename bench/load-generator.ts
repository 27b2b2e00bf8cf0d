import { fork } from 'node:child_process';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

// The load generator runs in a child process, free to use the machine's other
// core. On the servers' thread it would take turns with them on one event
// loop: every request would cost the generator's share on top of the server's,
// the same for the app and for bare Fastify, which squeezes their ratio
// towards 1 and hides the app's own cost (tried on 2 cores: bare Fastify lost
// about a third of its rate, and app ÷ bare rose from about 0.4 to 0.55).
// autocannon's `workers` option also moves it off the thread, but there
// setupClient must be a module path, and only autocannon's main thread
// aggregates results; a child process keeps setupClient a closure (each
// connection gets its own devices) and autocannon's results whole.

export interface LoadPlan {
  url: string;
  seconds: number;
  /** One list per connection: what that connection sends, in turn, over and over. */
  perConnection: autocannon.Request[][];
}

export interface LoadFigures {
  /** Responses received, and over how many seconds. */
  answers: number;
  seconds: number;
  p99Ms: number;
  status2xx: number;
  status3xx: number;
  /** Neither 2xx nor 3xx: 1xx, 4xx, 5xx, connection errors and timeouts. */
  other: number;
  /** How many of the listed requests got an answer at least once. */
  distinctAnswered: number;
  /** How busy the calling thread's event loop was under the load (0–1): near 1, a server on it was the limit, not the generator. */
  callerBusy: number;
}

type ChildMessage = { kind: 'started' } | { kind: 'done'; figures: Omit<LoadFigures, 'callerBusy'> };

/** Runs one autocannon load in a child process and returns its figures. */
export function generateLoad(plan: LoadPlan): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, { stdio: 'inherit' });
    // From the child's start of the load, not the fork: its boot is idle time here.
    let since: EventLoopUtilization | undefined;
    child.on('message', (message: ChildMessage) => {
      if (message.kind === 'started') since = performance.eventLoopUtilization();
      else resolve({ ...message.figures, callerBusy: performance.eventLoopUtilization(since).utilization });
    });
    child.once('error', reject);
    // After the figures this changes nothing: a promise settles once.
    child.once('exit', (code) => reject(new Error(`the load generator exited with code ${code} and no figures`)));
    child.send(plan);
  });
}

async function runPlan(plan: LoadPlan): Promise<Omit<LoadFigures, 'callerBusy'>> {
  const answered = plan.perConnection.map(() => 0);
  let nextConnection = 0;
  process.send!({ kind: 'started' } satisfies ChildMessage);
  const result = await autocannon({
    url: plan.url,
    connections: plan.perConnection.length,
    duration: plan.seconds,
    setupClient: (client) => {
      const index = nextConnection++;
      client.setRequests(plan.perConnection[index]);
      client.on('response', () => answered[index]++);
    },
  });
  return {
    answers: result.requests.total,
    seconds: result.duration,
    p99Ms: result.latency.p99,
    status2xx: result['2xx'],
    status3xx: result['3xx'],
    other: result['1xx'] + result['4xx'] + result['5xx'] + result.errors,
    // A connection goes through its list in order, so it has reached min(answers, list length) of it.
    distinctAnswered: answered.reduce(
      (sum, count, index) => sum + Math.min(count, plan.perConnection[index].length),
      0,
    ),
  };
}

if (require.main === module) {
  process.once('message', (plan) => {
    runPlan(plan as LoadPlan).then(
      (figures) => process.send!({ kind: 'done', figures } satisfies ChildMessage, () => process.disconnect()),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
