import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { connectAsync, MqttClient } from 'mqtt';
import { APP_ENV, BaseEnv } from '@sc/config';
import { MQTT_INGEST_STATUS, MqttIngestStatus } from '@sc/messaging';

export const BROKER_PROBE = Symbol('BROKER_PROBE');

export interface BrokerProbe {
  readonly configured: boolean;
  ping(): Promise<void>;
}

/**
 * Where the process runs the ingest too (the all-in-one), the ingest's own MQTT intake: its
 * embedded broker listening, or its subscriber connections to the external broker up. Otherwise
 * the external broker (MQTT_URL), with a connection of its own; without MQTT_URL there is no
 * broker to check.
 */
@Injectable()
export class MqttBrokerProbe implements BrokerProbe, OnModuleInit, OnApplicationShutdown {
  private client?: MqttClient;
  private intake?: MqttIngestStatus;

  constructor(
    @Inject(APP_ENV) private readonly env: BaseEnv,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    try {
      this.intake = this.moduleRef.get<MqttIngestStatus>(MQTT_INGEST_STATUS, { strict: false });
    } catch {
      this.intake = undefined; // The API alone: no ingest in this process.
    }
  }

  get configured(): boolean {
    return this.intake !== undefined || this.env.MQTT_URL !== undefined;
  }

  async ping(): Promise<void> {
    if (this.intake) return this.intake.check();
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
