import { IngestProcess, LogLine, waitFor } from '../support/ingest-process';
import { ResilienceRig } from './resilience-rig';
import { PublishedDevice, SequencedPublisher } from './sequenced-publisher';
import { describeExactlyOnce, exactlyOnce, provisionSmokeAlarms, storedCount, storedRows } from './stored-events';

/**
 * Issue 3: several ingest instances join one shared subscription ($share/sc-ingest/...) and the
 * broker splits the load between them. Who took what is read from two independent places: the
 * broker's log (each PUBACK names the connection, sc-ingest-<instance>-<n>) and each instance's
 * own stats line, which it logs when it stops.
 */
const MESSAGES = 3000;
const DEVICES = 10;

function finalStats(ingest: IngestProcess): { stored: number; duplicates: number } | undefined {
  const line = ingest.lines.filter((l: LogLine) => l.msg === 'ingest stats').at(-1);
  const totals = line?.totals as { stored?: number; duplicates?: number } | undefined;
  return totals && typeof totals.stored === 'number' ? { stored: totals.stored, duplicates: totals.duplicates ?? 0 } : undefined;
}

describe('two ingest instances on one shared subscription', () => {
  let rig: ResilienceRig;
  let a: IngestProcess;
  let b: IngestProcess;
  let publisher: SequencedPublisher | undefined;
  let devices: PublishedDevice[];

  beforeAll(async () => {
    rig = await ResilienceRig.start();
    devices = await provisionSmokeAlarms(rig.t, DEVICES, 'shared');
    a = rig.ingest('shared-a', 4);
    b = rig.ingest('shared-b', 4);
  }, 60_000);

  afterAll(async () => {
    await publisher?.close();
    await rig?.close();
  }, 60_000);

  it('split the load between them, and together store every message exactly once', async () => {
    a.start();
    b.start();
    await Promise.all([a.waitReady(), b.waitReady()]);
    publisher = await SequencedPublisher.connect(rig.broker.url, devices, 4);
    publisher.burst(MESSAGES);
    const published = await publisher.stop();

    await waitFor(`all ${published} messages stored`, async () => ((await storedCount(rig.t, devices)) >= published ? true : undefined), {
      withinMs: 30_000,
      everyMs: 100,
      describe: async () => `${await storedCount(rig.t, devices)} stored\n${rig.diagnostics()}`,
    });
    // Each instance logs its totals as it stops: the instances' own account of the split.
    await Promise.all([a.stop(), b.stop()]);

    const result = exactlyOnce(await storedRows(rig.t, devices), published, (seq) => publisher!.deviceOf(seq));
    const clean = result.rows === published && result.missing.length + result.duplicated.length + result.misplaced.length === 0;
    expect(clean ? '' : describeExactlyOnce(result, published)).toBe('');

    await waitFor('the broker log to show every PUBACK', () => (rig.acksOf('shared-a') + rig.acksOf('shared-b') >= published ? true : undefined), {
      withinMs: 5_000,
    }).catch(() => undefined);
    const acked = { a: rig.acksOf('shared-a'), b: rig.acksOf('shared-b') };
    const stats = { a: finalStats(a), b: finalStats(b) };
    const split = `broker saw PUBACKs a=${acked.a} b=${acked.b}; instances report stored a=${stats.a?.stored} b=${stats.b?.stored}`;
    // Mosquitto hands shared messages to the group's sessions in turn: each instance gets about half.
    expect(acked.a >= published / 4 && acked.b >= published / 4 ? '' : `each instance should take at least a quarter: ${split}`).toBe('');
    expect(acked.a + acked.b).toBe(published);
    expect(stats.a).toBeDefined();
    expect(stats.b).toBeDefined();
    expect((stats.a?.stored ?? 0) + (stats.b?.stored ?? 0)).toBe(published);
    expect(stats.a?.stored).toBe(acked.a);
  }, 90_000);
});
