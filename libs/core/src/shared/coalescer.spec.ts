import { BatchResults, Coalescer } from './coalescer';

/** A run that records its batches and answers key → key * 10, failing on the keys in `bad`. */
function recorder(bad: Set<number> = new Set(), hold?: Promise<void>) {
  const batches: number[][] = [];
  const run = async (keys: number[]): Promise<BatchResults<number, number>> => {
    batches.push([...keys]);
    if (hold) await hold;
    if (keys.some((k) => bad.has(k))) throw new Error(`bad key among ${keys.join(',')}`);
    return new Map(keys.map((k) => [k, k * 10]));
  };
  return { batches, run };
}

describe('Coalescer', () => {
  it('runs the calls made in one turn of the event loop as one batch and gives each caller its own result', async () => {
    const { batches, run } = recorder();
    const coalescer = new Coalescer(run, { maxBatch: 100, maxInFlight: 1 });
    const results = await Promise.all([1, 2, 3, 2].map((k) => coalescer.load(k)));
    expect(results).toEqual([10, 20, 30, 20]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects the calls that arrive while a run is busy into the next batch, within maxBatch', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { batches, run } = recorder(new Set(), hold);
    const coalescer = new Coalescer(run, { maxBatch: 2, maxInFlight: 1 });
    const first = coalescer.load(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4].map((k) => coalescer.load(k));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3], [4]]);
  });

  it('retries a failed batch key by key, so only the bad key fails and the others get their results; says why the batch failed', async () => {
    const { batches, run } = recorder(new Set([2]));
    const failures: string[] = [];
    const coalescer = new Coalescer(run, { maxBatch: 10, maxInFlight: 1, onBatchFailed: (error, keys) => failures.push(`${keys}: ${(error as Error).message}`) });
    const settled = await Promise.allSettled([1, 2, 3].map((k) => coalescer.load(k)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([10, 'bad key among 2', 30]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
    // Once, for the batch: a single key's failure is its caller's to report.
    expect(failures).toEqual(['3: bad key among 1,2,3']);
  });

  it('rejects only the key whose result is an Error, and a key the run left out', async () => {
    const coalescer = new Coalescer<string, string>(
      async (keys) => new Map(keys.filter((k) => k !== 'gone').map((k) => [k, k === 'broken' ? new Error('broken row') : k.toUpperCase()])),
      { maxBatch: 10, maxInFlight: 2 },
    );
    const settled = await Promise.allSettled(['a', 'broken', 'gone'].map((k) => coalescer.load(k)));
    expect(settled[0]).toEqual({ status: 'fulfilled', value: 'A' });
    expect(settled[1]).toMatchObject({ status: 'rejected', reason: new Error('broken row') });
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: new Error('the batch run returned no result for gone') });
  });
});
