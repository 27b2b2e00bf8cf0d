import { OneAtATime } from './one-at-a-time';

describe('one at a time', () => {
  it('runs once more after a run asked for meanwhile, however often it was asked, and every caller waits for it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const job = new OneAtATime(async () => {
      runs++;
      await new Promise<void>((resolve) => (release = resolve));
    });
    const first = job.run();
    const second = job.run();
    const third = job.run();
    expect(runs).toBe(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    release();
    await Promise.all([first, second, third]);
    expect(runs).toBe(2);
  });
});
