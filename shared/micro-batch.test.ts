import { microBatcher } from './micro-batch';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('microBatcher', () => {
  it('given calls arriving while a batch runs, when it ends, then they go together into the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const count = microBatcher<number, string>({
      maxSize: 10,
      runBatch: async (items) => {
        batches.push(items);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return new Map(items.map((item) => [item, `done ${item}`]));
      },
      runOne: async (item) => `alone ${item}`,
    });

    const first = count(1);
    await tick();
    const later = [count(2), count(3), count(4)];
    await tick();
    release();

    expect(await first).toBe('done 1');
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('given more waiting calls than maxSize, then batches hold at most maxSize items', async () => {
    const sizes: number[] = [];
    const count = microBatcher<number, number>({
      maxSize: 3,
      runBatch: async (items) => {
        sizes.push(items.length);
        return new Map(items.map((item) => [item, item * 2]));
      },
      runOne: async (item) => item * 2,
    });
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((item) => count(item)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('given a failing batch, then each item is retried alone and only the bad one fails', async () => {
    const count = microBatcher<number, number>({
      maxSize: 10,
      runBatch: async () => {
        throw new Error('deadlock');
      },
      runOne: async (item) => {
        if (item === 2) throw new Error(`item ${item} is bad`);
        return item;
      },
    });
    const results = await Promise.allSettled([count(1), count(2), count(3)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('item 2 is bad'));
  });

  it('given a lone call whose batch fails, then that call rejects with the batch error', async () => {
    const count = microBatcher<number, number>({
      maxSize: 10,
      runBatch: async () => {
        throw new Error('database down');
      },
      runOne: async (item) => item,
    });
    await expect(count(1)).rejects.toThrow('database down');
  });
});
