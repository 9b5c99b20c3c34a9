import { Redis } from 'ioredis';
import { Client } from 'pg';
import { percentile, round } from '../ingest/report';

/** The stages an alert goes through, in order; each is the time from the previous one. */
const STAGES = [
  ['published → alert stored', 'alertStored'],
  ['→ route job in Redis (outbox relay)', 'routeAdded'],
  ['→ route job started (queue wait)', 'routeStarted'],
  ['→ work order row built (routing batch wait)', 'orderBuilt'],
  ['→ route job finished (batch commit)', 'routeFinished'],
  ['→ delivery job in Redis (outbox relay; only deliveries not sent directly)', 'deliverAdded'],
  ['→ delivery job started (queue wait)', 'deliverStarted'],
  ['→ webhook received (send)', 'received'],
] as const;

type Stage = (typeof STAGES)[number][1];

/**
 * Where the time goes, per alert of this run: database timestamps of the alert, its order and
 * the order's first delivery, and BullMQ's own timestamps of the route and delivery jobs (added,
 * processed on, finished on). Read before the queue keys are dropped. Rows: stage, p50, p99;
 * and published → work order stored per alert.
 */
export async function stageBreakdown(
  databaseUrl: string,
  redisUrl: string,
  queuePrefix: string,
  msgIdPrefix: string,
  receivedAt: (msgId: string) => number | undefined,
): Promise<{ rows: [string, string][]; orderStored: number[] }> {
  const db = new Client({ connectionString: databaseUrl });
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await db.connect();
  await redis.connect();
  try {
    const { rows } = await db.query<{ msg_id: string; alert_id: string; raised: Date; alert_at: Date; order_at: Date; delivery_id: string | null }>(
      `select a.source_msg_id as msg_id, a.id as alert_id, a.raised_at as raised, a.created_at as alert_at, w.created_at as order_at,
              (select d.id from deliveries d where d.subject_id = w.id and d.event = 'created' order by d.created_at limit 1) as delivery_id
         from alerts a join work_orders w on w.id = a.work_order_id
        where a.source_msg_id like $1`,
      [`${msgIdPrefix}%`],
    );
    const times = (key: string) => redis.hmget(key, 'timestamp', 'processedOn', 'finishedOn').then((v) => v.map(Number));
    const spans = new Map<Stage, number[]>(STAGES.map(([, stage]) => [stage, []]));
    const orderStored: number[] = [];
    for (const row of rows) {
      orderStored.push(row.order_at.getTime() - row.raised.getTime());
      const [routeAdded, routeStarted, routeFinished] = await times(`${queuePrefix}:alerts:route.${row.alert_id}`);
      const [deliverAdded, deliverStarted] = row.delivery_id ? await times(`${queuePrefix}:deliveries:deliver.${row.delivery_id}`) : [NaN, NaN];
      const points: Record<Stage, number> & { raised: number } = {
        raised: row.raised.getTime(),
        alertStored: row.alert_at.getTime(),
        routeAdded,
        routeStarted,
        orderBuilt: row.order_at.getTime(),
        routeFinished,
        deliverAdded,
        deliverStarted,
        received: receivedAt(row.msg_id) ?? NaN,
      };
      let previous: number = points.raised;
      for (const [, stage] of STAGES) {
        const at = points[stage];
        // A delivery sent directly after the routing commit has no delivery job: its send is timed from the commit.
        if (!Number.isFinite(at) || at === 0) continue;
        spans.get(stage)!.push(at - previous);
        previous = at;
      }
    }
    // Alerts of one ingest batch share their creation time, as the orders of one routing batch (nearly) do.
    const { rows: [batches] } = await db.query<{ alerts: string; ingest: string; routing: string }>(
      `select count(*) as alerts, count(distinct a.created_at) as ingest, count(distinct w.created_at) as routing
         from alerts a join work_orders w on w.id = a.work_order_id where a.source_msg_id like $1`,
      [`${msgIdPrefix}%`],
    );
    const perBatch = (n: string) => round(Number(batches.alerts) / Math.max(1, Number(n)), 1);
    return {
      rows: [
        ...STAGES.map(([label, stage]): [string, string] => {
          const values = spans.get(stage)!;
          return [`  ${label} p50 / p99`, `${round(percentile(values, 50), 1)} / ${round(percentile(values, 99), 1)} ms (${values.length})`];
        }),
        ['  alerts per ingest batch / per routing batch (distinct creation times)', `${perBatch(batches.ingest)} / ${perBatch(batches.routing)}`],
      ],
      orderStored,
    };
  } finally {
    await db.end();
    redis.disconnect();
  }
}

/**
 * The background telemetry of this run (msg ids starting with `msgIdPrefix`): how many messages
 * are stored, and how long each took from its device time (set when published) to the ingest
 * taking it from the broker (`received_at`): the broker's queue when the ingest falls behind.
 * Alarms go first in the ingest, so a telemetry backlog shows here rather than in the alarms' figures.
 */
export async function telemetryLag(databaseUrl: string, msgIdPrefix: string): Promise<{ stored: number; p50Ms: number; p99Ms: number; maxMs: number }> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ stored: string; p50: number | null; p99: number | null; max: number | null }>(
      `select count(*) as stored,
              percentile_cont(0.5) within group (order by lag) as p50,
              percentile_cont(0.99) within group (order by lag) as p99,
              max(lag) as max
         from (select extract(epoch from received_at - ts) * 1000 as lag from device_events where channel = 'telemetry' and msg_id like $1) as t`,
      [`${msgIdPrefix}%`],
    );
    const [row] = rows;
    return { stored: Number(row.stored), p50Ms: Number(row.p50 ?? NaN), p99Ms: Number(row.p99 ?? NaN), maxMs: Number(row.max ?? NaN) };
  } finally {
    await db.end();
  }
}
