import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { JOB_QUEUES, JOBS, QueueName } from '@sc/messaging';
import { JobContext, JobOutcome } from './job-context';
import { DEAD_JOB_HANDLER, JOB_HANDLER, RunnableJobName } from './job-handler.decorator';

export type RunJob = (data: unknown, context: JobContext) => Promise<JobOutcome>;
export type BuryJob = (data: unknown, reason: string) => Promise<void>;

/** One decorated method found at start-up, named for error messages. */
export interface FoundHandler<F> {
  name: RunnableJobName;
  owner: string;
  fn: F;
}

export const RUNNABLE_JOBS = Object.values(JOBS).filter((name): name is RunnableJobName => name !== JOBS.deadLetter);

export class JobRegistryError extends Error {
  override readonly name = 'JobRegistryError';
}

/**
 * Checks the handlers found: every runnable job exactly one run handler, at most one dead
 * handler. Throws one error naming every problem, so a wrong deployment stops at start-up
 * instead of leaving jobs to fail one by one.
 */
export function checkHandlers(run: readonly FoundHandler<unknown>[], dead: readonly FoundHandler<unknown>[]): void {
  const problems: string[] = [];
  for (const name of RUNNABLE_JOBS) {
    const owners = run.filter((h) => h.name === name).map((h) => h.owner).sort();
    if (owners.length === 0) problems.push(`job ${name} has no handler`);
    if (owners.length > 1) problems.push(`job ${name} has ${owners.length} handlers (${owners.join(', ')})`);
    const deadOwners = dead.filter((h) => h.name === name).map((h) => h.owner).sort();
    if (deadOwners.length > 1) problems.push(`job ${name} has ${deadOwners.length} dead-letter handlers (${deadOwners.join(', ')})`);
  }
  for (const handler of [...run, ...dead]) {
    if (!RUNNABLE_JOBS.includes(handler.name)) problems.push(`${handler.owner} handles ${String(handler.name)}, which is not a runnable job`);
  }
  if (problems.length > 0) throw new JobRegistryError(`job handlers are wrong:\n  - ${problems.join('\n  - ')}`);
}

/** The job handlers of this process, found by their decorators when the module starts. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly runners = new Map<RunnableJobName, RunJob>();
  private readonly buriers = new Map<RunnableJobName, BuryJob>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    const run: FoundHandler<RunJob>[] = [];
    const dead: FoundHandler<BuryJob>[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const owner = `${instance.constructor.name}.${method}`;
        const runs = Reflect.getMetadata(JOB_HANDLER, fn) as RunnableJobName | undefined;
        if (runs !== undefined) run.push({ name: runs, owner, fn: (fn as RunJob).bind(instance) });
        const buries = Reflect.getMetadata(DEAD_JOB_HANDLER, fn) as RunnableJobName | undefined;
        if (buries !== undefined) dead.push({ name: buries, owner, fn: (fn as BuryJob).bind(instance) });
      }
    }
    checkHandlers(run, dead);
    for (const h of run) this.runners.set(h.name, h.fn);
    for (const h of dead) this.buriers.set(h.name, h.fn);
  }

  runner(name: string): RunJob | undefined {
    return this.runners.get(name as RunnableJobName);
  }

  burier(name: string): BuryJob | undefined {
    return this.buriers.get(name as RunnableJobName);
  }

  /** The queues this process works: those of its handlers. */
  queues(): QueueName[] {
    return [...new Set([...this.runners.keys()].map((name) => JOB_QUEUES[name]))];
  }
}
