/**
 * The MQTT intake of this process, when the process runs one (the ingest app, the all-in-one):
 * the embedded broker or the subscriber connections to an external broker. /health asks it
 * instead of probing a broker of its own.
 */
export interface MqttIngestStatus {
  /** "mqtt-subscriber" or "embedded-broker". */
  readonly kind: string;
  /** Throws, saying what is wrong, when devices' messages cannot reach the ingest now. */
  check(): void;
}

export const MQTT_INGEST_STATUS = Symbol('MQTT_INGEST_STATUS');
