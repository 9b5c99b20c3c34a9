import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * Environment schemas, one per app. Every app validates the whole environment once at
 * start-up; a wrong value stops the process with a message naming the variable.
 * Defaults run on one machine: SQLite under DATA_DIR, Redis on localhost, embedded broker.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const urlWithProtocols = (protocols: string[]) =>
  optionalString.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the embedded defaults (SQLite file, generated secrets) live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** PostgreSQL URL; when absent the service uses an SQLite file under DATA_DIR. */
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:']),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).transform((v) => v ?? 'redis://127.0.0.1:6379'),
  /** BullMQ key prefix; the braces make it a Redis Cluster hash tag. */
  QUEUE_PREFIX: z
    .string()
    .regex(/^\{[a-z0-9:_-]+\}$/i, 'must be a Redis Cluster hash tag such as {sc}')
    .default('{sc}'),
  /** External MQTT broker; when absent the all-in-one service runs an embedded broker. */
  MQTT_URL: urlWithProtocols(['mqtt:', 'mqtts:', 'ws:', 'wss:']),
  MQTT_USERNAME: optionalString,
  MQTT_PASSWORD: optionalString,
  /** Key for pseudonymising personal data (keyed hash). Generated under DATA_DIR when absent. */
  PSEUDONYM_KEY: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
});

export const apiEnvSchema = baseEnvSchema.extend({
  PORT: port(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** Signs access tokens. Generated under DATA_DIR when absent. */
  JWT_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters',
  }),
  JWT_TTL_SECONDS: z.coerce.number().int().min(60).max(604800).default(43200),
  /** Bootstrap administrator, created on first start when no account exists. */
  ADMIN_USERNAME: z.string().min(3).max(64).default('admin'),
  ADMIN_PASSWORD: optionalString.refine((v) => v === undefined || v.length >= 12, {
    message: 'must be at least 12 characters',
  }),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'must look like 5mb or 512kb').default('10mb'),
});

const count = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

export const ingestEnvSchema = baseEnvSchema.extend({
  /**
   * Port of the embedded broker when MQTT_URL is absent. Unset: 1883, or the next free port up
   * to 1893 when another broker already holds 1883 (logged); set: exactly that port.
   */
  MQTT_EMBEDDED_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** MQTT connections of this instance in the shared subscription of the routine lane (telemetry, heartbeat, status). */
  INGEST_CONNECTIONS: count(1, 1024, 16),
  /** MQTT connections of this instance in the event lane's shared subscription (alarms, access control). */
  INGEST_EVENT_CONNECTIONS: count(1, 1024, 2),
  /**
   * Unacknowledged messages one connection holds while their batch commits; past it the
   * connection stops reading and the broker keeps the queue (bounds memory: connections × this).
   */
  INGEST_PENDING_PER_CONNECTION: count(1, 65_535, 128),
  /** A batch (one transaction) closes at this many messages... */
  INGEST_BATCH_MAX: count(1, 10_000, 512),
  /** ...or this long after its first message. */
  INGEST_BATCH_WAIT_MS: count(0, 10_000, 4),
  /**
   * Names the persistent sessions sc-ingest-<id>-<n>: a restarted instance with the same id
   * resumes its queue. Keep it (and INGEST_CONNECTIONS) stable per instance: Mosquitto goes on
   * queueing a shared subscription's share for a member that is offline, so the messages of a
   * session whose id is never used again wait until the session expires, then are dropped.
   * Hence the default is the host name, not something that changes on every start.
   */
  INGEST_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z, a-z, 0-9, _, . or -')
    .default(() => hostname().replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 64) || 'ingest'),
  /** Stored device events older than this are dropped (whole partitions on PostgreSQL). */
  EVENT_RETENTION_DAYS: count(1, 3650, 180),
  /** The rejection quarantine keeps the newest this many rows. */
  QUARANTINE_MAX_ROWS: count(100, 10_000_000, 10_000),
  /** Device timestamps further ahead of the server clock are rejected. */
  TS_MAX_FUTURE_SECONDS: count(0, 86_400, 300),
  /** Device timestamps older than this are rejected (devices buffer while offline). */
  TS_MAX_AGE_HOURS: count(1, 24 * 365, 168),
  /** A provisioned device that never spoke is marked offline this long after provisioning. */
  NEVER_SEEN_GRACE_MINUTES: count(1, 30 * 24 * 60, 60),
  /** How often the presence sweeper looks for devices whose heartbeat is overdue. */
  PRESENCE_SWEEP_SECONDS: count(1, 3600, 30),
});

/**
 * Retries of the delivery queue. The worker adds every job (through the outbox relay), so these
 * are read where queues are registered; an app without them (the API) gets the defaults.
 */
export const queueTuningSchema = z.object({
  /** Tries of one delivery before it goes to the dead-letter queue. */
  DELIVERY_ATTEMPTS: count(1, 100, 8),
  /** First retry delay of a delivery; doubles each try (2 s, 4 s, 8 s ... with the default). */
  DELIVERY_BACKOFF_MS: count(1, 3_600_000, 2000),
});

export const workerEnvSchema = baseEnvSchema.extend({
  ...queueTuningSchema.shape,
  /** The outbox relay looks for committed jobs this often (and at once when a commit in this process tells it). */
  OUTBOX_POLL_MS: count(5, 60_000, 25),
  /** Outbox rows handed to BullMQ per round. */
  OUTBOX_BATCH_MAX: count(1, 10_000, 500),
  /** Jobs one worker process runs at the same time, per queue. */
  WORKER_CONCURRENCY_ALERTS: count(1, 1000, 256),
  WORKER_CONCURRENCY_WORK_ORDERS: count(1, 1000, 4),
  WORKER_CONCURRENCY_DELIVERIES: count(1, 1000, 64),
  WORKER_CONCURRENCY_MEETINGS: count(1, 1000, 2),
  /** On shutdown, active jobs get this long to finish; then the workers close anyway (the jobs are retried). */
  SHUTDOWN_GRACE_MS: count(0, 600_000, 10_000),
  /** How often the worker checks that Redis still holds its jobs (re-arming them from the database if not). */
  RECONCILE_SECONDS: count(1, 3600, 30),
  /** Alerts and deliveries still unhandled this long after they were decided are enqueued again (a no-op if their job exists). */
  RECONCILE_STUCK_SECONDS: count(10, 86_400, 300),
});

export const allInOneEnvSchema = apiEnvSchema.merge(ingestEnvSchema).merge(workerEnvSchema);

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type ApiEnv = z.infer<typeof apiEnvSchema>;
export type IngestEnv = z.infer<typeof ingestEnvSchema>;
export type WorkerEnv = z.infer<typeof workerEnvSchema>;
export type AllInOneEnv = z.infer<typeof allInOneEnvSchema>;

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Parses an environment with a schema; the error names every wrong variable. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Record<string, unknown>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const given = issue.path.length > 0 ? shownValue(String(issue.path[0]), env[String(issue.path[0])]) : undefined;
    return `${name}: ${issue.message}${given !== undefined ? ` (got "${given}")` : ''}`;
  });
  throw new ConfigValidationError(problems);
}

/** The value to echo in a start-up error: never a secret, and URLs without their password. */
function shownValue(name: string, value: unknown): string | undefined {
  if (value === undefined || /(SECRET|PASSWORD|KEY)$/.test(name)) return undefined;
  const text = String(value);
  return name.endsWith('_URL') ? redactUrl(text) : text;
}

/** A URL fit for logs: its password replaced by ***; undefined when unparseable (it may hold a password we cannot locate). */
export function redactUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return undefined;
  }
}
