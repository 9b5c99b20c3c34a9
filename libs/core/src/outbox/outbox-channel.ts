/**
 * The PostgreSQL NOTIFY channel of the outbox: triggers on the outbox table (migrations
 * outbox_notify, outbox_notify_available) notify it when a transaction that inserted rows the
 * relay may take now (not held by their writer), or released held ones, commits; the worker's
 * relay LISTENs.
 */
export const OUTBOX_CHANNEL = 'sc_outbox';
