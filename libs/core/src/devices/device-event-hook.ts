import { EntityManager } from '@mikro-orm/knex';

/** Where a device sits in the registry. */
export interface DevicePlace {
  communityId: string;
  /** The community's materialised path (org_units.path). */
  communityPath: string;
  compoundId?: string;
  /** The device's grid, or its building's when the device has none. */
  gridId?: string;
}

/** A device message that passed validation and was stored (device_events). */
export interface StoredDeviceEvent {
  /** devices.id */
  deviceId: string;
  /** The MQTT device id (devices.code). */
  deviceCode: string;
  /** Community code: the site of the topic. */
  siteId: string;
  deviceType: string;
  /** Where the device sat when its message was checked (the ingest's lookup, seconds old at most). */
  place: DevicePlace;
  channel: 'telemetry' | 'event';
  msgId: string;
  /** Device time. */
  ts: Date;
  receivedAt: Date;
  /** Event type, for channel event. */
  type?: string;
  /** Telemetry values, for channel telemetry. */
  values?: Record<string, number>;
  /** Event data, personal subjects already pseudonymised. */
  data?: Record<string, unknown>;
}

export type PresenceReason = 'message' | 'heartbeat' | 'status_online' | 'status_offline' | 'heartbeat_timeout' | 'never_seen';

/** A device going offline or coming back. */
export interface PresenceChange {
  deviceId: string;
  deviceCode: string;
  deviceType: string;
  online: boolean;
  at: Date;
  reason: PresenceReason;
}

/**
 * The rule hook: every stored event and every presence change is handed to the handlers
 * inside the transaction that stores it, so whatever a handler writes (alerts, an outbox)
 * commits or rolls back with the events, and nothing acknowledged is ever skipped.
 * The alerts feature registers a handler (DeviceEventHooks.register); the ingest pipeline never
 * changes for it. A handler that throws rolls the batch back: it is retried, never skipped.
 */
export interface DeviceEventHandler {
  onEvents(events: readonly StoredDeviceEvent[], em: EntityManager): Promise<void>;
  onPresence(changes: readonly PresenceChange[], em: EntityManager): Promise<void>;
}

// Handlers register with DeviceEventHooks (device-event-hooks.ts) at start-up: Nest has no
// multi-providers, so a registry the handler's module injects stands in for one.
