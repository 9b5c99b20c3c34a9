/** Why a device message was refused; each is counted and recorded in quarantine. */
export const REJECTION_REASONS = [
  'bad_topic',
  'payload_too_large',
  'not_utf8',
  'not_json',
  'bad_envelope',
  'missing_msg_id',
  'bad_timestamp',
  'timestamp_in_future',
  'timestamp_too_old',
  'unknown_device',
  'device_disabled',
  'topic_mismatch',
  'unknown_event_type',
  'unknown_field',
  'value_out_of_range',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** Human-readable, never containing personal data. */
  detail: string;
}
