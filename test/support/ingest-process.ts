/** The ingest app as a child process (libs/testing, shared with bench/). */
export * from '@sc/testing/ingest-process';
export { freePort, waitFor, delay } from '@sc/testing/wait';
