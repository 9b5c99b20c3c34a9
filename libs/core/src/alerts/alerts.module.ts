import { Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { CareSubjectsService } from './care/care-subjects.service';
import { CareWatch } from './care/care-watch';
import { DevicePlacements } from './engine/device-placements';
import { RuleStates } from './engine/rule-states';
import { AlertRule } from './entities/alert-rule.entity';
import { Alert } from './entities/alert.entity';
import { CareSubject, CareWatchDevice } from './entities/care-subject.entity';
import { RuleState } from './entities/rule-state.entity';
import { AlarmWriter } from './lifecycle/alarm-writer';
import { AlertsService } from './lifecycle/alerts.service';
import { CommitHooks } from './lifecycle/commit-signal';
import { AlertRulesService } from './rules/alert-rules.service';
import { RuleBook } from './rules/rule-book';

const PROVIDERS = [RuleBook, DevicePlacements, RuleStates, CommitHooks, AlarmWriter, CareWatch, AlertRulesService, AlertsService, CareSubjectsService];

/**
 * Alert rules (defaults, overrides, the cached effective view), the alarm lifecycle (raise,
 * repeat, acknowledge, clear) and care-watch registrations. The rule engine that feeds it from
 * the ingest lives in AlertsEngineModule. Work orders read the Alert entity.
 */
@Module({
  imports: [MikroOrmModule.forFeature([Alert, AlertRule, RuleState, CareSubject, CareWatchDevice])],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class AlertsModule {}
