import { MqttIngestStatus } from '@sc/messaging';

/**
 * Where device messages come from: an external broker through the shared subscription, or the
 * embedded broker. A source hands each message to the pipeline with an ack that it turns into
 * the MQTT acknowledgement, so a PUBACK leaves only after the message is committed.
 */
export interface IngestSource extends MqttIngestStatus {
  /** Connects or listens; resolves once messages can flow (or after a bounded wait, still retrying). */
  start(): Promise<void>;
  /** Closes connections or the broker within the bound; unacknowledged messages are redelivered later. */
  stop(timeoutMs: number): Promise<void>;
}

export const INGEST_SOURCE = Symbol('INGEST_SOURCE');

/** Resolves after `ms`, or earlier when `work` settles; never rejects. */
export async function within(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
