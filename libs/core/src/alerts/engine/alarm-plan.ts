import { Actor } from '../../audit/actor';
import { RuleKind } from '../alert-kinds';
import { AlarmRuleRef, ClearInput, CONDITION_KINDS, RaiseInput } from '../lifecycle/alarm-writer';
import { openKeyOf } from '../rules/rule-definition';
import { AlertPlacement } from './device-placements';

interface RaiseOp {
  type: 'raise';
  at: Date;
  seq: number;
  deviceId: string;
  rule: AlarmRuleRef;
  msgId?: string;
  data?: Record<string, unknown>;
  actor: Actor;
}

interface ClearOp {
  type: 'clear';
  at: Date;
  seq: number;
  input: ClearInput;
}

type Op = RaiseOp | ClearOp;

/** The writes of one batch, in three steps so the database sees them in device-time order per alert. */
export interface ResolvedPlan {
  /** Raises that happened before the last clear of their key (they end cleared). */
  before: RaiseInput[];
  clears: ClearInput[];
  /** Raises after the last clear, or of keys not cleared: they end open (a new alert when one was cleared). */
  after: RaiseInput[];
}

/**
 * What a batch does to alerts, collected per open key and ordered by device time: a smoke alarm
 * followed by its clearing event in one batch raises and clears; the reverse order clears the
 * old alert and opens a new one.
 */
export class AlarmPlan {
  private readonly ops = new Map<string, Op[]>();
  private seq = 0;

  get size(): number {
    return this.ops.size;
  }

  raise(deviceId: string, rule: AlarmRuleRef, at: Date, actor: Actor, msgId?: string, data?: Record<string, unknown>): void {
    this.push(openKeyOf(deviceId, rule.alertType), { type: 'raise', at, seq: this.seq++, deviceId, rule, msgId, data, actor });
  }

  clear(
    deviceId: string,
    alertType: string,
    at: Date,
    actor: Actor,
    reason: string,
    kinds?: readonly RuleKind[],
    details?: Record<string, unknown>,
  ): void {
    const openKey = openKeyOf(deviceId, alertType);
    this.push(openKey, { type: 'clear', at, seq: this.seq++, input: { openKey, reason, kinds, actor, details } });
  }

  /** Devices with at least one raise: their placement is needed. */
  raisingDevices(): Set<string> {
    const ids = new Set<string>();
    for (const ops of this.ops.values()) for (const op of ops) if (op.type === 'raise') ids.add(op.deviceId);
    return ids;
  }

  /**
   * Drops the keys whose only operations are readings of a condition alert that is open as far
   * as this process knows (`knownOpen`): they would only add to its count.
   */
  dropContinuations(knownOpen: (openKey: string) => boolean): void {
    for (const [key, ops] of this.ops) {
      if (ops.every((op) => op.type === 'raise' && CONDITION_KINDS.includes(op.rule.kind)) && knownOpen(key)) this.ops.delete(key);
    }
  }

  /**
   * Drops the keys whose only operations are clears of condition alerts (a reading within its
   * limits) and that cannot be live anywhere (`mayBeLive`): there is nothing to clear.
   */
  dropIdleClears(mayBeLive: (openKey: string) => boolean): void {
    for (const [key, ops] of this.ops) {
      if (ops.every((op) => op.type === 'clear' && isConditionClear(op.input)) && !mayBeLive(key)) this.ops.delete(key);
    }
  }

  resolve(placements: ReadonlyMap<string, AlertPlacement>): ResolvedPlan {
    const plan: ResolvedPlan = { before: [], clears: [], after: [] };
    for (const ops of this.ops.values()) {
      ops.sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
      let lastClear = -1;
      ops.forEach((op, i) => {
        if (op.type === 'clear') lastClear = i;
      });
      ops.forEach((op, i) => {
        if (op.type === 'clear') {
          if (i === lastClear) plan.clears.push(op.input);
          return;
        }
        const placement = placements.get(op.deviceId);
        // A device deleted meanwhile has nowhere to raise.
        if (!placement) return;
        const input: RaiseInput = { rule: op.rule, placement, at: op.at, msgId: op.msgId, data: op.data, actor: op.actor };
        (i < lastClear ? plan.before : plan.after).push(input);
      });
    }
    return plan;
  }

  private push(key: string, op: Op): void {
    const list = this.ops.get(key);
    if (list) list.push(op);
    else this.ops.set(key, [op]);
  }
}

/** A clear limited to threshold and duration alerts. */
function isConditionClear(input: ClearInput): boolean {
  return input.kinds !== undefined && input.kinds.length > 0 && input.kinds.every((kind) => CONDITION_KINDS.includes(kind));
}
