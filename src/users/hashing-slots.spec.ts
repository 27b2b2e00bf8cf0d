import { TooManyRequests } from '../infra/http/error-body';
import { HashingSlots } from './hashing-slots';

describe('HashingSlots', () => {
  it('runs so many at once, lets so many wait, and refuses the rest at once', async () => {
    const slots = new HashingSlots(2, 1);
    const releases: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const work = () =>
      slots.run(async () => {
        most = Math.max(most, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        return 'done';
      });

    const accepted = [work(), work(), work()];
    await expect(work()).rejects.toEqual(expect.objectContaining({ retryAfterSeconds: 1 }));
    await expect(work()).rejects.toBeInstanceOf(TooManyRequests);
    const started = async (count: number) => {
      while (releases.length < count) await new Promise((resolve) => setImmediate(resolve));
    };
    await started(2);
    releases[0]();
    // The slot goes to the one waiting.
    await started(3);
    releases[1]();
    releases[2]();
    expect(await Promise.all(accepted)).toEqual(['done', 'done', 'done']);
    expect(most).toBe(2);
  });
});
