import { Module } from '@nestjs/common';

/** Alert rules, the rule engine on the ingest hook, the alarm lifecycle, care watch. */
@Module({})
export class AlertsModule {}
