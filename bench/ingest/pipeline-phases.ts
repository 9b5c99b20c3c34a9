import { delay } from '@sc/testing/wait';
import { LoadResult, MessageSource, PublisherPool } from './load';
import { percentile, progress } from './report';
import { ScratchDatabase } from './scratch-db';

export interface PhaseResult {
  prefix: string;
  load: LoadResult;
  rows: number;
  distinct: number;
  /** Acknowledged by the broker (so the device is done with it) but not stored. */
  lost: number;
  duplicates: number;
}

export interface FullSpeedResult extends PhaseResult {
  /** First publish → last row stored. */
  seconds: number;
  msgsPerSecond: number;
}

export interface HalfLoadResult extends PhaseResult {
  offeredPerSecond: number;
  stored: { p50: number; p99: number; max: number };
  brokerAck: { p50: number; p99: number };
}

/**
 * Polls (once a second: the count scans the phase's rows, and the poll must not steal the
 * database's time) until `expected` rows of the phase are stored, or nothing new arrived for
 * `stallMs`. The phase's throughput comes from the rows' own stored times, not from the poll.
 */
async function waitStored(db: ScratchDatabase, prefix: string, expected: number, stallMs: number, tick?: () => void): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    tick?.();
    const stored = await db.storedCount(prefix);
    if (stored >= expected) return;
    if (stored !== last) {
      last = stored;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      progress(`phase ${prefix}: stalled at ${stored} of ${expected} rows for ${stallMs / 1000} s; counting what is there`);
      return;
    }
    await delay(1000);
  }
}

async function settle(db: ScratchDatabase, prefix: string, load: LoadResult, stallMs: number, tick?: () => void): Promise<PhaseResult> {
  await waitStored(db, prefix, load.acked, stallMs, tick);
  const { rows, distinct } = await db.counts(prefix);
  return { prefix, load, rows, distinct, lost: Math.max(0, load.acked - distinct), duplicates: rows - distinct };
}

/** Warm-up (JIT, device cache, partitions): measured nowhere. */
export async function warmUp(db: ScratchDatabase, pool: PublisherPool, count: number, window: number, source: MessageSource, tick?: () => void): Promise<PhaseResult> {
  const load = await pool.fullSpeed(count, source, window);
  return settle(db, 'w-', load, 30_000, tick);
}

/** Phase (b): everything at once; the broker queues what the ingest has not taken yet. */
export async function fullSpeed(db: ScratchDatabase, pool: PublisherPool, count: number, window: number, source: MessageSource, tick?: () => void): Promise<FullSpeedResult> {
  const load = await pool.fullSpeed(count, source, window);
  progress(`phase f-: ${count} published in ${((load.endedAt - load.startedAt) / 1000).toFixed(1)} s; waiting for the ingest to store them`);
  const result = await settle(db, 'f-', load, 30_000, tick);
  const seconds = ((await db.lastStoredAt('f-')) - load.startedAt) / 1000;
  return { ...result, seconds, msgsPerSecond: result.distinct / seconds };
}

/** Phase (c): a steady offered load; latency is publish (payload ts) → row inserted in the committing transaction. */
export async function halfLoad(db: ScratchDatabase, pool: PublisherPool, perSecond: number, seconds: number, source: MessageSource, tick?: () => void): Promise<HalfLoadResult> {
  const load = await pool.steady(perSecond, seconds * 1000, source);
  const result = await settle(db, 'h-', load, 30_000, tick);
  const stored = await db.storedLatency('h-');
  const brokerAck = { p50: percentile(load.ackLatencies, 50), p99: percentile(load.ackLatencies, 99) };
  return { ...result, offeredPerSecond: perSecond, stored, brokerAck };
}
