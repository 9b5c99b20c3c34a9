import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { Actor, deviceActor, SYSTEM_ACTOR } from '../../audit/actor';
import { DeviceEventHandler, PresenceChange, StoredDeviceEvent } from '../../devices/device-event-hook';
import { DEVICE_OFFLINE_ALERT } from '../../devices/device-types.catalogue';
import { CareWatch } from '../care/care-watch';
import { AlarmWriter, ClearInput, CONDITION_KINDS, RaiseInput } from '../lifecycle/alarm-writer';
import { RuleBook, RuleSnapshot } from '../rules/rule-book';
import { breaches, EffectiveRule, openKeyOf } from '../rules/rule-definition';
import { AlarmPlan } from './alarm-plan';
import { AlertPlacement, DevicePlacements } from './device-placements';
import { LiveConditions } from './live-conditions';
import { RuleStates, StateKey, stateKeyOf, StateValue } from './rule-states';

type DurationRule = Extract<EffectiveRule, { kind: 'duration' }>;
type RepetitionRule = Extract<EffectiveRule, { kind: 'repetition' }>;

interface DurationSample {
  rule: DurationRule;
  event: StoredDeviceEvent;
  value: number;
  breach: boolean;
  actor: Actor;
}

interface RepetitionSample {
  rule: RepetitionRule;
  event: StoredDeviceEvent;
  actor: Actor;
}

const TELEMETRY_KINDS = ['threshold', 'duration'] as const;

/**
 * The rule engine on the ingest hook. It runs inside the transaction that stores each batch,
 * with that transaction's entity manager: the alerts, rule states, audit entries and route jobs
 * it writes commit with the events, and if it throws the batch is retried. Cost per batch:
 * rules come from memory (RuleBook); placements come with the events (the ingest's device lookup
 * reads them); threshold clears are one conditional UPDATE, and they and the removal of duration
 * states are skipped for keys no instance can have live (LiveConditions), which is nearly every
 * reading; duration and repetition state is read and written only for the keys a batch touches.
 */
@Injectable()
export class AlertRuleEngine implements DeviceEventHandler {
  constructor(
    private readonly ruleBook: RuleBook,
    private readonly placements: DevicePlacements,
    private readonly writer: AlarmWriter,
    private readonly states: RuleStates,
    private readonly care: CareWatch,
    private readonly live: LiveConditions,
  ) {}

  async onEvents(events: readonly StoredDeviceEvent[], em: EntityManager): Promise<void> {
    if (events.length === 0) return;
    const snapshot = await this.ruleBook.current(em);
    const placed = this.placementsForRules(snapshot, events);
    const plan = new AlarmPlan();
    const durations: DurationSample[] = [];
    const repetitions: RepetitionSample[] = [];

    for (const event of events) {
      const rules = snapshot.rulesFor(event.deviceType, placed.get(event.deviceId));
      const actor = deviceActor(event.deviceId, event.deviceCode);
      if (event.channel === 'event' && event.type !== undefined) {
        for (const rule of rules.events.get(event.type) ?? []) {
          if (rule.kind === 'event') plan.raise(event.deviceId, rule, event.ts, actor, event.msgId, event.data ?? {});
          else repetitions.push({ rule, event, actor });
        }
        for (const alertType of rules.clears.get(event.type) ?? []) {
          plan.clear(event.deviceId, alertType, event.ts, actor, `cleared by the device event ${event.type}`, undefined, { eventType: event.type, msgId: event.msgId });
        }
      } else if (event.values) {
        for (const [field, value] of Object.entries(event.values)) {
          for (const rule of rules.telemetry.get(field) ?? []) {
            const breach = breaches(rule.params.op, value, rule.params.limit);
            if (rule.kind === 'duration') {
              durations.push({ rule, event, value, breach, actor });
            } else if (breach) {
              plan.raise(event.deviceId, rule, event.ts, actor, event.msgId, { field, value, op: rule.params.op, limit: rule.params.limit });
            } else {
              plan.clear(event.deviceId, rule.alertType, event.ts, actor, 'value back within its limit', TELEMETRY_KINDS, { field, value, limit: rule.params.limit, msgId: event.msgId });
            }
          }
        }
      }
    }

    // Keys this batch makes live (new condition alerts, new rule states), for the other instances.
    const made: string[] = [];
    await this.evaluateDurations(em, durations, plan, made);
    await this.evaluateRepetitions(em, repetitions, plan, made);
    await this.execute(em, plan, events, placed, made);
    await this.live.announce(em, made);
    await this.care.recordActivity(em, events);
  }

  async onPresence(changes: readonly PresenceChange[], em: EntityManager): Promise<void> {
    if (changes.length === 0) return;
    // A device that never spoke since provisioning is not yet installed, not broken: the device list shows it
    // as never seen, and an offline alert (a work order per device of a bulk import) would only flood the company.
    const offline = changes.filter((c) => !c.online && c.reason !== 'never_seen');
    const clears: ClearInput[] = changes
      .filter((c) => c.online)
      .map((c) => ({
        openKey: `${c.deviceId}/${DEVICE_OFFLINE_ALERT.type}`,
        reason: 'device back online',
        kinds: ['offline'],
        actor: deviceActor(c.deviceId, c.deviceCode),
        details: { reason: c.reason },
      }));
    if (clears.length > 0) await this.writer.clearByRule(em, clears);
    if (offline.length === 0) return;
    const snapshot = await this.ruleBook.current(em);
    const placements = await this.placements.load(em, offline.map((c) => c.deviceId));
    const raises: RaiseInput[] = [];
    for (const change of offline) {
      const placement = placements.get(change.deviceId);
      if (!placement) continue;
      const rule = snapshot.rulesFor(change.deviceType, placement).offline;
      if (!rule) continue;
      // The broker's last will speaks for the device; a missed heartbeat is the service's finding.
      const actor = change.reason === 'status_offline' ? deviceActor(change.deviceId, change.deviceCode) : SYSTEM_ACTOR;
      raises.push({ rule, placement, at: change.at, data: { reason: change.reason }, actor });
    }
    await this.writer.raise(em, raises);
  }

  /** Placements of the devices whose rules differ by place and whose message some rule of their type mentions. */
  private placementsForRules(snapshot: RuleSnapshot, events: readonly StoredDeviceEvent[]): Map<string, AlertPlacement> {
    const placed = new Map<string, AlertPlacement>();
    for (const event of events) {
      if (!snapshot.dependsOnPlacement(event.deviceType)) continue;
      const any = snapshot.anyScope(event.deviceType);
      const mentioned =
        event.channel === 'event'
          ? event.type !== undefined && (any.events.has(event.type) || any.clears.has(event.type))
          : Object.keys(event.values ?? {}).some((field) => any.telemetry.has(field));
      if (mentioned && !placed.has(event.deviceId)) placed.set(event.deviceId, placementOf(event));
    }
    return placed;
  }

  /** "For N minutes": the start of the condition is kept per (device, alert type); it raises once held long enough, on a later message. */
  private async evaluateDurations(em: EntityManager, samples: readonly DurationSample[], plan: AlarmPlan, made: string[]): Promise<void> {
    if (samples.length === 0) return;
    const groups = groupByKey(samples, (s) => ({ deviceId: s.event.deviceId, alertType: s.rule.alertType }));
    const held = [...groups.values()].filter((g) => g.items.some((s) => s.breach)).map((g) => g.key);
    const stored = await this.states.read(em, held);
    const save: { key: StateKey; state: StateValue }[] = [];
    const remove: StateKey[] = [];
    for (const { key, items } of groups.values()) {
      items.sort((a, b) => a.event.ts.getTime() - b.event.ts.getTime());
      const storedSince = stored.get(stateKeyOf(key))?.since;
      let since = typeof storedSince === 'string' ? new Date(storedSince) : undefined;
      for (const sample of items) {
        const { rule, event, value } = sample;
        const { field, op, limit, forMinutes } = rule.params;
        if (sample.breach) {
          if (!since || event.ts < since) since = event.ts;
          if (event.ts.getTime() - since.getTime() >= forMinutes * 60_000) {
            plan.raise(event.deviceId, rule, event.ts, sample.actor, event.msgId, { field, value, op, limit, forMinutes, since: since.toISOString() });
          }
        } else {
          plan.clear(event.deviceId, rule.alertType, event.ts, sample.actor, 'condition ended', TELEMETRY_KINDS, { field, value, limit, msgId: event.msgId });
          since = undefined;
        }
      }
      if (!since) remove.push(key);
      else if (since.toISOString() !== storedSince) {
        save.push({ key, state: { since: since.toISOString() } });
        if (storedSince === undefined) made.push(stateKeyOf(key));
      }
    }
    await this.states.save(em, save);
    await this.states.remove(em, remove.filter((key) => this.live.mayBeLive(stateKeyOf(key))));
  }

  /** "N times in M minutes": the times inside the window are kept per (device, alert type); the N-th within M raises. */
  private async evaluateRepetitions(em: EntityManager, samples: readonly RepetitionSample[], plan: AlarmPlan, made: string[]): Promise<void> {
    if (samples.length === 0) return;
    const groups = groupByKey(samples, (s) => ({ deviceId: s.event.deviceId, alertType: s.rule.alertType }));
    const stored = await this.states.lock(em, [...groups.values()].map((g) => g.key));
    const save: { key: StateKey; state: StateValue }[] = [];
    for (const { key, items } of groups.values()) {
      items.sort((a, b) => a.event.ts.getTime() - b.event.ts.getTime());
      const previous = stored.get(stateKeyOf(key))?.times;
      if (previous === undefined) made.push(stateKeyOf(key));
      let times = Array.isArray(previous) ? previous.filter((t): t is string => typeof t === 'string').map((t) => Date.parse(t)).filter((t) => !Number.isNaN(t)) : [];
      for (const { rule, event, actor } of items) {
        const { eventType, times: needed, withinMinutes } = rule.params;
        const at = event.ts.getTime();
        times.push(at);
        const latest = Math.max(...times);
        times = times.filter((t) => t >= latest - withinMinutes * 60_000).sort((a, b) => a - b).slice(-needed);
        if (times.length >= needed) {
          plan.raise(event.deviceId, rule, event.ts, actor, event.msgId, {
            eventType,
            times: needed,
            withinMinutes,
            firstAt: new Date(times[0]).toISOString(),
            event: event.data ?? {},
          });
        }
      }
      save.push({ key, state: { times: times.map((t) => new Date(t).toISOString()) } });
    }
    await this.states.save(em, save);
  }

  private async execute(em: EntityManager, plan: AlarmPlan, events: readonly StoredDeviceEvent[], placed: Map<string, AlertPlacement>, made: string[]): Promise<void> {
    const now = Date.now();
    plan.dropContinuations((key) => this.writer.knownOpen(key, now));
    plan.dropIdleClears((key) => this.live.mayBeLive(key, now));
    if (plan.size === 0) return;
    const raising = plan.raisingDevices();
    for (const event of raising.size > 0 ? events : []) {
      if (raising.has(event.deviceId) && !placed.has(event.deviceId)) placed.set(event.deviceId, placementOf(event));
    }
    const { before, clears, after } = plan.resolve(placed);
    const raised = await this.writer.raise(em, before);
    await this.writer.clearByRule(em, clears);
    raised.push(...(await this.writer.raise(em, after)));
    const conditions = new Set([...before, ...after].filter((r) => CONDITION_KINDS.includes(r.rule.kind)).map((r) => openKeyOf(r.placement.deviceId, r.rule.alertType)));
    for (const alert of raised) if (alert.isNew && conditions.has(alert.openKey)) made.push(alert.openKey);
  }
}

function placementOf(event: StoredDeviceEvent): AlertPlacement {
  return { deviceId: event.deviceId, deviceType: event.deviceType, ...event.place };
}

function groupByKey<T>(items: readonly T[], keyOf: (item: T) => StateKey): Map<string, { key: StateKey; items: T[] }> {
  const groups = new Map<string, { key: StateKey; items: T[] }>();
  for (const item of items) {
    const key = keyOf(item);
    const id = stateKeyOf(key);
    const group = groups.get(id);
    if (group) group.items.push(item);
    else groups.set(id, { key, items: [item] });
  }
  return groups;
}
