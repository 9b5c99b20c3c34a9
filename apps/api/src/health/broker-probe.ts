import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { connectAsync, MqttClient } from 'mqtt';
import { APP_ENV, BaseEnv } from '@sc/config';

export const BROKER_PROBE = Symbol('BROKER_PROBE');

export interface BrokerProbe {
  readonly configured: boolean;
  ping(): Promise<void>;
}

/**
 * Checks the external broker (MQTT_URL) with a short-lived connection of its own. The
 * embedded broker, when used, lives in this process and is checked by the ingest app.
 */
@Injectable()
export class MqttBrokerProbe implements BrokerProbe, OnApplicationShutdown {
  private client?: MqttClient;

  constructor(@Inject(APP_ENV) private readonly env: BaseEnv) {}

  get configured(): boolean {
    return this.env.MQTT_URL !== undefined;
  }

  async ping(): Promise<void> {
    if (this.client?.connected) return;
    this.client?.end(true);
    this.client = await connectAsync(this.env.MQTT_URL ?? '', {
      clientId: `sc-health-${process.pid}-${Date.now().toString(36)}`,
      username: this.env.MQTT_USERNAME,
      password: this.env.MQTT_PASSWORD,
      connectTimeout: 2000,
      reconnectPeriod: 0,
      clean: true,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client?.endAsync(true);
  }
}
