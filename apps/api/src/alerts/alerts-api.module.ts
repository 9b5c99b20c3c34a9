import { Module } from '@nestjs/common';

/** HTTP: alert rules, alerts (ack, clear), care-watch registrations. */
@Module({})
export class AlertsApiModule {}
