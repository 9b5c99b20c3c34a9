import { Device } from '@sc/core/devices/entities/device.entity';
import { issueDeviceCredential } from '@sc/core/devices/device-credentials';
import { TestApp } from '../support/test-app';
import { PublishedDevice } from './sequenced-publisher';

/**
 * Smoke alarms registered straight in the database, under one community (their site). The
 * test broker does not check device credentials (the test publisher user stands in for the
 * devices), but the ingest checks the registry, so they must exist.
 */
export async function provisionSmokeAlarms(t: TestApp, count: number, prefix: string): Promise<PublishedDevice[]> {
  const chain = await t.factories.newOrgChain();
  const em = t.em();
  const devices = Array.from({ length: count }, (_, i) =>
    em.create(Device, {
      code: `${prefix}-${i}`,
      type: 'smoke',
      community: chain.community.id,
      compound: chain.compound.id,
      credentialHash: issueDeviceCredential().hash,
    }),
  );
  await em.flush();
  return devices.map((d) => ({ id: d.id, code: d.code, siteId: chain.community.code }));
}

export interface StoredRow {
  device_id: string;
  msg_id: string;
}

export async function storedRows(t: TestApp, devices: readonly PublishedDevice[]): Promise<StoredRow[]> {
  return t
    .em()
    .getKnex()
    .select('device_id', 'msg_id')
    .from('device_events')
    .whereIn(
      'device_id',
      devices.map((d) => d.id),
    );
}

export async function storedCount(t: TestApp, devices: readonly PublishedDevice[]): Promise<number> {
  const ids = devices.map((d) => d.id);
  const rows = await t
    .em()
    .getConnection()
    .execute<{ n: string | number }[]>(`select count(*) as n from device_events where device_id in (${ids.map(() => '?').join(', ')})`, ids);
  return Number(rows[0].n);
}

export interface ExactlyOnce {
  rows: number;
  distinct: number;
  /** Sequences 1..n without a row. */
  missing: number[];
  /** Sequences stored more than once (same device and msgId). */
  duplicated: string[];
  /** Rows whose device is not the one that sent that sequence, or whose msgId is outside 1..n. */
  misplaced: string[];
}

/** Compares the stored rows with what was published: sequences 1..n, n from `deviceOf(n)`. */
export function exactlyOnce(rows: readonly StoredRow[], n: number, deviceOf: (seq: number) => PublishedDevice): ExactlyOnce {
  const seen = new Map<string, number>();
  const misplaced: string[] = [];
  for (const row of rows) {
    const key = `${row.device_id}/${row.msg_id}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
    const seq = Number(row.msg_id);
    if (!Number.isInteger(seq) || seq < 1 || seq > n || deviceOf(seq).id !== row.device_id) misplaced.push(key);
  }
  const missing: number[] = [];
  for (let seq = 1; seq <= n; seq += 1) {
    if (!seen.has(`${deviceOf(seq).id}/${seq}`)) missing.push(seq);
  }
  const duplicated = [...seen].filter(([, times]) => times > 1).map(([key]) => key);
  return { rows: rows.length, distinct: seen.size, missing, duplicated, misplaced };
}

/** Sorted numbers as ranges: 1-3, 7, 9-12. */
export function ranges(sorted: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j += 1;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** A short description for assertion messages: counts and the offenders (missing ones as ranges). */
export function describeExactlyOnce(result: ExactlyOnce, n: number): string {
  const few = (list: readonly string[]) => `${list.length}${list.length ? ` (${list.slice(0, 10).join(', ')}${list.length > 10 ? ', ...' : ''})` : ''}`;
  const missing = `${result.missing.length}${result.missing.length ? ` (sequences ${ranges(result.missing)})` : ''}`;
  return `published ${n}, rows ${result.rows}, distinct ${result.distinct}, missing ${missing}, duplicated ${few(result.duplicated)}, misplaced ${few(result.misplaced)}`;
}
