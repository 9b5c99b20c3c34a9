export interface CoalescerOptions {
  /** Most keys handed to one run. */
  maxBatch: number;
  /** Runs at the same time (each with its own batch); the rest of the keys wait for a free slot. */
  maxInFlight: number;
  /** Told when a run over several keys threw, before its keys are retried one by one (to log why). */
  onBatchFailed?: (error: unknown, keys: number) => void;
}

/**
 * What a batch run returns: the result of each key it handled. A key the run left out is
 * rejected; a key whose result is an Error is rejected with it (only that key).
 */
export type BatchResults<K, R> = Map<K, R | Error>;

interface Waiting<K, R> {
  key: K;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns many single-key calls made at about the same time (concurrent queue jobs) into one run
 * over all their keys, DataLoader style: keys that arrive while a run is busy form the next
 * batch, so batches grow with the load and a lone call waits for nothing. A run that throws is
 * retried key by key, so one bad key fails only its own caller and never holds up the others.
 */
export class Coalescer<K, R> {
  private readonly waiting: Waiting<K, R>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (keys: K[]) => Promise<BatchResults<K, R>>,
    private readonly options: CoalescerOptions,
  ) {
    if (options.maxBatch < 1 || options.maxInFlight < 1) throw new RangeError('maxBatch and maxInFlight must be at least 1');
  }

  load(key: K): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.pump();
    });
  }

  /** Starts a run on the next turn of the event loop, so the calls of this turn join it. */
  private pump(): void {
    if (this.scheduled || this.waiting.length === 0 || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= this.options.maxInFlight) return;
      const batch = this.waiting.splice(0, this.options.maxBatch);
      if (batch.length === 0) return;
      this.inFlight += 1;
      void this.settle(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
      this.pump();
    });
  }

  private async settle(batch: Waiting<K, R>[]): Promise<void> {
    const keys = [...new Set(batch.map((w) => w.key))];
    let results: BatchResults<K, R>;
    try {
      results = await this.run(keys);
    } catch (error: unknown) {
      if (keys.length === 1) {
        for (const w of batch) w.reject(error);
        return;
      }
      this.options.onBatchFailed?.(error, keys.length);
      results = new Map();
      for (const key of keys) {
        try {
          const single = await this.run([key]);
          results.set(key, single.has(key) ? (single.get(key) as R | Error) : missing(key));
        } catch (keyError: unknown) {
          results.set(key, keyError instanceof Error ? keyError : new Error(String(keyError)));
        }
      }
    }
    for (const w of batch) {
      const result = results.has(w.key) ? (results.get(w.key) as R | Error) : missing(w.key);
      if (result instanceof Error) w.reject(result);
      else w.resolve(result);
    }
  }
}

function missing(key: unknown): Error {
  return new Error(`the batch run returned no result for ${String(key)}`);
}
