/** A TCP proxy the test controls, to cut PostgreSQL off (libs/testing, shared with bench/). */
export * from '@sc/testing/tcp-proxy';
