/**
 * Child process of the benchmark's phase (a): one mqtt.js subscriber at QoS 1 that only counts.
 * A separate process, like the ingest in phase (b), so the publishers and the receiver do not
 * share one event loop in either phase and the ratio compares like with like.
 * Reports over IPC: { ready } once subscribed, then { count, lastAt } every 100 ms.
 */
import { connectAsync } from 'mqtt';
import { DEVICE_TOPIC_FILTER } from '@sc/messaging';

async function main(): Promise<void> {
  const url = process.env.MQTT_URL;
  if (!url || !process.send) throw new Error('run by the benchmark: needs MQTT_URL and an IPC channel');
  const client = await connectAsync(url, {
    username: process.env.MQTT_USERNAME,
    password: process.env.MQTT_PASSWORD,
    clientId: `sc-bench-raw-${process.pid}`,
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
  });
  let count = 0;
  let lastAt = 0;
  client.on('message', () => {
    count += 1;
    lastAt = Date.now();
  });
  await client.subscribeAsync(DEVICE_TOPIC_FILTER, { qos: 1 });
  process.send({ ready: true });
  const timer = setInterval(() => process.send?.({ count, lastAt }), 100);
  process.on('disconnect', () => {
    clearInterval(timer);
    void client.endAsync(true).finally(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`raw subscriber failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
