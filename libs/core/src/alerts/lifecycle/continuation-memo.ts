/**
 * How long a telemetry alert this process wrote counts as known open: a reading that keeps it
 * open within that time needs no write (a busy sensor's row is not rewritten per message, and two
 * concurrent batches do not queue on it). Far below any duration rule; a cleared alert is
 * forgotten at once, so a reading after a clear raises a new alert without waiting.
 */
export const CONTINUATION_WRITE_INTERVAL_MS = 10_000;
const MEMO_LIMIT = 100_000;

/** Open condition alerts written lately by this process (after their commit). */
export class ContinuationMemo {
  private readonly writtenAt = new Map<string, number>();

  fresh(openKey: string, now: number): boolean {
    const at = this.writtenAt.get(openKey);
    return at !== undefined && now - at < CONTINUATION_WRITE_INTERVAL_MS;
  }

  remember(openKeys: readonly string[], at: number): void {
    for (const key of openKeys) {
      this.writtenAt.delete(key);
      this.writtenAt.set(key, at);
    }
    while (this.writtenAt.size > MEMO_LIMIT) {
      const oldest = this.writtenAt.keys().next();
      if (oldest.done) break;
      this.writtenAt.delete(oldest.value);
    }
  }

  forget(openKeys: readonly string[]): void {
    for (const key of openKeys) this.writtenAt.delete(key);
  }
}
