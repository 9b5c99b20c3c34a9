import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { BROKER_PROBE, MqttBrokerProbe } from './broker-probe';

@Module({
  controllers: [HealthController],
  providers: [{ provide: BROKER_PROBE, useClass: MqttBrokerProbe }],
})
export class HealthModule {}
