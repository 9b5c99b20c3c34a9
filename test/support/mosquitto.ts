/** A private Mosquitto with the project's config (libs/testing, shared with bench/). */
export * from '@sc/testing/mosquitto';
