import { Module } from '@nestjs/common';
import { AlertsModule } from '@sc/core/alerts/alerts.module';
import { AlertRulesController } from './alert-rules.controller';
import { AlertsController } from './alerts.controller';
import { CareSubjectsController } from './care-subjects.controller';

/** HTTP: alert rules, alerts (ack, clear), care-watch registrations. */
@Module({
  imports: [AlertsModule],
  controllers: [AlertRulesController, AlertsController, CareSubjectsController],
})
export class AlertsApiModule {}
