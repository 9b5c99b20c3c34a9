import { RejectionReason } from '@sc/messaging/mqtt/rejection';

/** A device message as a source hands it over: what the broker delivered, nothing parsed yet. */
export interface IngestMessage {
  topic: string;
  payload: Buffer;
  /**
   * The authenticated device id of the publisher, when the broker is ours (embedded): it must
   * be the topic's device id. Absent on an external broker (its ACL enforces it) and for the
   * service user, which may publish for any device.
   */
  username?: string;
  receivedAt: Date;
}

/** What became of a message, once its batch committed. */
export type IngestResult =
  | { status: 'stored' }
  /** Already stored earlier (a redelivery): nothing added. */
  | { status: 'duplicate' }
  /** Heartbeat or status: presence updated, no event row. */
  | { status: 'applied' }
  | { status: 'rejected'; reason: RejectionReason };

/**
 * Called exactly once per message, only after the transaction holding it committed (a rejected
 * message is committed too: its quarantine row). Never called for a message that was not
 * stored, so the broker redelivers it.
 */
export type IngestAck = (result: IngestResult) => void;
