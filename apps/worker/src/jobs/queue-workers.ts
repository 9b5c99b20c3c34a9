import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_ENV, BaseEnv, WorkerEnv } from '@sc/config';
import { QUEUE_SETTINGS, QueueSettings } from '@sc/platform';
import { concurrencyOf, workerSettingsFrom } from '../worker-settings';
import { DeadLetters } from './dead-letters';
import { JobRegistry } from './job-registry';
import { ManagedWorker } from './managed-worker';

/** One managed BullMQ worker per queue that has handlers; started after start-up, drained at shutdown. */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly settings: WorkerEnv;
  private workers: ManagedWorker[] = [];

  constructor(
    private readonly registry: JobRegistry,
    private readonly deadLetters: DeadLetters,
    @Inject(QUEUE_SETTINGS) private readonly queueSettings: QueueSettings,
    @Inject(APP_ENV) env: BaseEnv,
  ) {
    this.settings = workerSettingsFrom(env);
  }

  onApplicationBootstrap(): void {
    this.workers = this.registry.queues().map(
      (queue) =>
        new ManagedWorker({
          queue,
          settings: this.queueSettings,
          concurrency: concurrencyOf(this.settings, queue),
          runnerOf: (name) => this.registry.runner(name),
          bury: (job, reason, attemptsMade) => this.deadLetters.bury(queue, job, reason, attemptsMade),
        }),
    );
    for (const worker of this.workers) worker.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close(this.settings.SHUTDOWN_GRACE_MS)));
    this.workers = [];
  }

  async pauseAll(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.pause()));
  }

  resumeAll(): void {
    for (const worker of this.workers) worker.resume();
  }
}
