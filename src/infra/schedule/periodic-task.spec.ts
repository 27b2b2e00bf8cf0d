import { PeriodicTask } from './periodic-task';

/** A task whose runs the test settles itself, one by one. */
function heldTask(warnings: string[] = []) {
  const runs: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const task = new PeriodicTask(
    'test sweep',
    { warn: (message: string) => warnings.push(message) },
    () => new Promise<void>((resolve, reject) => runs.push({ resolve, reject })),
  );
  return { task, runs };
}
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('PeriodicTask', () => {
  it('never runs twice at once, runs once more after a run it was asked during, and logs a failure', async () => {
    const warnings: string[] = [];
    const { task, runs } = heldTask(warnings);
    task.run();
    task.run();
    task.run();
    expect(runs).toHaveLength(1);
    runs[0].reject(new Error('Postgres went away'));
    await turn();
    expect(warnings).toEqual(['test sweep failed (will retry): Postgres went away']);
    // Asked (twice) while the first ran: one more run, right after it.
    expect(runs).toHaveLength(2);
    runs[1].resolve();
    await turn();
    expect(runs).toHaveLength(2);
  });

  it('stop() waits for the run in flight, and nothing runs after it', async () => {
    const { task, runs } = heldTask();
    task.run();
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await turn();
    expect(stopped).toBe(false);
    task.run();
    runs[0].resolve();
    await stopping;
    await turn();
    expect(runs).toHaveLength(1);
  });

  it('runs on its interval until stopped, a tick letting a run in flight be', async () => {
    const { task, runs } = heldTask();
    task.start(5, { immediately: true });
    expect(runs).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    // Ticks came while the first run was held: none queued another.
    expect(runs).toHaveLength(1);
    runs[0].resolve();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(runs.length).toBeGreaterThan(1);
    for (const run of runs) run.resolve();
    const stopping = task.stop();
    for (const run of runs) run.resolve();
    await stopping;
    const after = runs.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(runs).toHaveLength(after);
  });
});
