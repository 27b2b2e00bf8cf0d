import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  it('never runs twice at once, logs a failure and runs again next time, and stop() waits for the run in flight', async () => {
    const warnings: string[] = [];
    const runs: Array<() => void> = [];
    let fail = true;
    const task = new PeriodicTask('test sweep', { warn: (message: string) => warnings.push(message) }, () => {
      const attempt = fail;
      return new Promise<void>((resolve, reject) =>
        runs.push(() => (attempt ? reject(new Error('Postgres went away')) : resolve())),
      );
    });
    task.run();
    task.run();
    expect(runs).toHaveLength(1);
    runs[0]();
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual(['test sweep failed (will retry): Postgres went away']);
    fail = false;
    task.run();
    expect(runs).toHaveLength(2);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    runs[1]();
    await stopping;
    expect(warnings).toHaveLength(1);
  });

  it('runs on its interval until stopped', async () => {
    let runs = 0;
    const task = new PeriodicTask('test sweep', { warn: () => undefined }, () => Promise.resolve(runs++));
    task.start(5, { immediately: true });
    expect(runs).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await task.stop();
    const after = runs;
    expect(after).toBeGreaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toBe(after);
  });
});
