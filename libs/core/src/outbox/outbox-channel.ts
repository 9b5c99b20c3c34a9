/**
 * The PostgreSQL NOTIFY channel of the outbox: a trigger on the outbox table (migration
 * Migration20261126100000_outbox_notify) notifies it when a transaction that inserted rows
 * commits; the worker's relay LISTENs.
 */
export const OUTBOX_CHANNEL = 'sc_outbox';
