import { Entity, Index, ManyToOne, PrimaryKey, Property, Rel } from '@mikro-orm/core';
import type { RejectionReason } from '@sc/messaging/mqtt/rejection';
import { Device } from '../../devices/entities/device.entity';
import { newId } from '../../shared/ids';

/**
 * The bounded quarantine of refused device messages: why, from where, and the start of what was
 * sent. Written in batches by the ingest pipeline (one multi-row insert), trimmed to
 * QUARANTINE_MAX_ROWS oldest first; read by operators through the API.
 */
@Entity({ tableName: 'ingest_rejections' })
export class IngestRejection {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'datetime' })
  @Index({ name: 'ingest_rejections_received_at_idx' })
  receivedAt!: Date;

  @Property({ type: 'string', length: 32 })
  reason!: RejectionReason;

  /** Human-readable, never personal data. */
  @Property({ type: 'string', length: 500 })
  detail!: string;

  @Property({ type: 'string', length: 300 })
  topic!: string;

  /** The device id the topic named, when it could be read. */
  @Property({ type: 'string', length: 64, nullable: true })
  deviceCode?: string;

  /** The registered device, when the code named one: scopes who may read the row. */
  @ManyToOne(() => Device, { nullable: true, deleteRule: 'set null' })
  @Index({ name: 'ingest_rejections_device_idx' })
  device?: Rel<Device>;

  /** First 512 bytes of the payload as text; none for access events (they may carry a card number). */
  @Property({ type: 'text', nullable: true })
  payloadExcerpt?: string;
}
