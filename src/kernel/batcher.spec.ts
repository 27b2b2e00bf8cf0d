import { Batcher } from './batcher';

const turn = () => new Promise((resolve) => setImmediate(resolve));
/** A few turns of the loop: a batch's end is seen a few promise steps after its call resolves. */
const turns = async () => {
  for (let i = 0; i < 3; i++) await turn();
};

describe('Batcher', () => {
  it('sends what is asked for in one turn of the event loop as one batch, each caller its own result', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string, string>(
      async (items) => {
        batches.push(items);
        return items.map((item) => item.toUpperCase());
      },
      (item) => item,
      { maxItems: 100, concurrency: 1 },
    );
    // From separate callbacks of one turn, as requests read from different sockets are.
    const asked = await new Promise<Array<Promise<string>>>((resolve) => {
      const loads: Array<Promise<string>> = [];
      for (const item of ['a', 'b', 'c'])
        process.nextTick(() => {
          loads.push(batcher.load(item));
          if (loads.length === 3) resolve(loads);
        });
    });
    expect(await Promise.all(asked)).toEqual(['A', 'B', 'C']);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('sends an item once per batch however many ask for it, keeping the latest of a key', async () => {
    const batches: Array<Array<{ key: string; n: number }>> = [];
    const batcher = new Batcher<{ key: string; n: number }, number>(
      async (items) => {
        batches.push(items);
        return items.map((item) => item.n);
      },
      (item) => item.key,
      { maxItems: 100, concurrency: 1 },
    );
    const results = await Promise.all([
      batcher.load({ key: 'x', n: 1 }),
      batcher.load({ key: 'y', n: 2 }),
      batcher.load({ key: 'x', n: 3 }),
    ]);
    expect(results).toEqual([3, 2, 3]);
    expect(batches).toEqual([
      [
        { key: 'x', n: 3 },
        { key: 'y', n: 2 },
      ],
    ]);
  });

  it('gathers what comes while the running batches are at their limit into the next, no bigger than maxItems', async () => {
    const batches: number[][] = [];
    const release: Array<() => void> = [];
    const batcher = new Batcher<number, number>(
      (items) => {
        batches.push(items);
        return new Promise((resolve) => release.push(() => resolve(items)));
      },
      String,
      { maxItems: 3, concurrency: 1 },
    );
    const first = batcher.load(0);
    await turn();
    const later = [1, 2, 3, 4].map((n) => batcher.load(n));
    await turn();
    expect(batches).toEqual([[0]]);
    release.shift()!();
    expect(await first).toBe(0);
    await turns();
    expect(batches).toEqual([[0], [1, 2, 3]]);
    release.shift()!();
    await turns();
    expect(batches).toEqual([[0], [1, 2, 3], [4]]);
    release.shift()!();
    expect(await Promise.all(later)).toEqual([1, 2, 3, 4]);
  });

  it('fails only the callers of a failed batch, with its error, and goes on with the next', async () => {
    let calls = 0;
    const batcher = new Batcher<string, string>(
      (items) => {
        calls++;
        if (calls === 1) throw new Error('connection lost');
        if (calls === 2) return Promise.resolve([]);
        return Promise.resolve(items);
      },
      (item) => item,
      { maxItems: 100, concurrency: 1 },
    );
    await expect(Promise.all([batcher.load('a'), batcher.load('b')])).rejects.toThrow('connection lost');
    await expect(batcher.load('c')).rejects.toThrow('a batch of 1 was answered with 0 results');
    expect(await batcher.load('d')).toBe('d');
  });
});
