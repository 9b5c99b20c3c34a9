import { Injectable, Logger, Module, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DeviceEventHooks } from '../devices/device-event-hooks';
import { TelemetryModule } from '../telemetry/telemetry.module';
import { AlertsModule } from './alerts.module';
import { CareWatch } from './care/care-watch';
import { LiveConditions } from './engine/live-conditions';
import { AlertRuleEngine } from './engine/rule-engine';

/** How often silent care-watch households are looked for. */
export const CARE_SWEEP_EVERY_MS = 60_000;

/** Runs the care-watch sweep on a timer that never overlaps itself; failures are logged and retried next time. */
@Injectable()
export class CareWatchSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CareWatchSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly care: CareWatch) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.care
        .sweep()
        .catch((error: unknown) => this.logger.error({ err: error }, 'care-watch sweep failed'))
        .finally(() => (this.running = undefined));
    }, CARE_SWEEP_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

/**
 * The rule engine on the ingest hook, the live-condition listener it consults, and the care-watch
 * sweeper. Imported by the ingest only:
 * the engine must run where events are stored, inside their transaction.
 */
@Module({
  imports: [AlertsModule, TelemetryModule],
  providers: [AlertRuleEngine, CareWatchSweeper, LiveConditions],
})
export class AlertsEngineModule implements OnModuleInit, OnModuleDestroy {
  private unregister?: () => void;

  constructor(
    private readonly hooks: DeviceEventHooks,
    private readonly engine: AlertRuleEngine,
  ) {}

  onModuleInit(): void {
    this.unregister = this.hooks.register(this.engine);
  }

  onModuleDestroy(): void {
    this.unregister?.();
    this.unregister = undefined;
  }
}
