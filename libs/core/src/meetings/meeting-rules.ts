import { PartyKind } from '../org/org-level';
import { DecisionRule, Outcome, PositionKind, QuorumRule } from './meeting-states';

export interface QuorumResult {
  met: boolean;
  presentParties: number;
  /** Required kinds without a present party. */
  missingKinds: PartyKind[];
  /** Why it is not met ("quorum not met: owners_committee absent"); empty when met. */
  reason?: string;
}

/** Whether the present parties make a quorum under the meeting's rule. */
export function evaluateQuorum(rule: QuorumRule, present: readonly { kind: PartyKind }[]): QuorumResult {
  const kinds = new Set(present.map((p) => p.kind));
  const missingKinds = rule.requiredKinds.filter((k) => !kinds.has(k));
  const reasons: string[] = [];
  if (missingKinds.length > 0) reasons.push(`${missingKinds.join(', ')} absent`);
  if (rule.minParties !== undefined && present.length < rule.minParties) {
    reasons.push(`${present.length} ${present.length === 1 ? 'party' : 'parties'} present, ${rule.minParties} required`);
  }
  return {
    met: reasons.length === 0,
    presentParties: present.length,
    missingKinds,
    reason: reasons.length > 0 ? `quorum not met: ${reasons.join('; ')}` : undefined,
  };
}

export interface Tally {
  present: number;
  agree: number;
  object: number;
  abstain: number;
}

export function tally(present: number, positions: readonly PositionKind[]): Tally {
  return {
    present,
    agree: positions.filter((p) => p === 'agree').length,
    object: positions.filter((p) => p === 'object').length,
    abstain: positions.filter((p) => p === 'abstain').length,
  };
}

/** The outcome the rule gives for the positions of the present parties, with the reason in words. */
export function ruleOutcome(rule: DecisionRule, t: Tally): { outcome: Extract<Outcome, 'adopted' | 'rejected'>; reason: string } {
  const majority = t.agree * 2 > t.present;
  const counts = `${t.agree} of ${t.present} present parties agree, ${t.object} object, ${t.abstain} abstain`;
  switch (rule) {
    case 'unanimous':
      return t.agree === t.present && t.present > 0
        ? { outcome: 'adopted', reason: `unanimous: ${counts}` }
        : { outcome: 'rejected', reason: `not unanimous: ${counts}` };
    case 'majority':
      return majority ? { outcome: 'adopted', reason: `majority: ${counts}` } : { outcome: 'rejected', reason: `no majority: ${counts}` };
    default:
      if (t.object > 0) return { outcome: 'rejected', reason: `objected: ${counts}` };
      return majority
        ? { outcome: 'adopted', reason: `no objection and a majority: ${counts}` }
        : { outcome: 'rejected', reason: `no majority: ${counts}` };
  }
}
