import { Party } from '../org/entities/party.entity';
import { PartyKind } from '../org/org-level';
import { DomainError } from '../shared/domain-error';
import { DEFAULT_QUORUM, QuorumRule } from './meeting-states';

const MAX_DURATION_MS = 24 * 3600_000;

/** The convener party: the one named (Party organisation or residents' committee), else the Party organisation. */
export function convenerOf(parties: Party[], convenerPartyId: string | undefined): Party {
  const convening = [PartyKind.PartyOrganisation, PartyKind.ResidentsCommittee];
  if (convenerPartyId !== undefined) {
    const party = parties.find((p) => p.id === convenerPartyId);
    if (!party) throw DomainError.validation(`convener party ${convenerPartyId} is not among the invited parties`, 'convenerPartyId');
    if (!convening.includes(party.kind)) throw DomainError.validation(`a meeting is convened by the Party organisation or the residents' committee, not by a ${party.kind}`, 'convenerPartyId');
    return party;
  }
  const party = parties.find((p) => p.kind === PartyKind.PartyOrganisation) ?? parties.find((p) => p.kind === PartyKind.ResidentsCommittee);
  if (!party) throw DomainError.validation("a meeting is convened by the Party organisation or the residents' committee: invite one of them", 'partyIds');
  return party;
}

/** The quorum rule asked for, refused when the invited parties could never meet it. */
export function quorumRuleOf(parties: Party[], input: { requiredKinds?: PartyKind[]; minParties?: number } | undefined): QuorumRule {
  const requiredKinds = [...new Set(input?.requiredKinds ?? DEFAULT_QUORUM.requiredKinds)];
  const minParties = input?.minParties;
  if (requiredKinds.length === 0 && minParties === undefined) {
    throw DomainError.validation('a quorum needs required party kinds or a minimum number of parties', 'quorum');
  }
  const absent = requiredKinds.filter((kind) => !parties.some((p) => p.kind === kind));
  if (absent.length > 0) {
    throw DomainError.validation(`the quorum requires ${absent.join(', ')} but no such party is invited: create the party or change the quorum`, 'quorum.requiredKinds');
  }
  if (minParties !== undefined && (minParties < 1 || minParties > parties.length)) {
    throw DomainError.validation(`quorum.minParties must be between 1 and the ${parties.length} invited parties`, 'quorum.minParties');
  }
  return minParties === undefined ? { requiredKinds } : { requiredKinds, minParties };
}

export function assertTimes(startsAt: Date, endsAt: Date): void {
  if (Number.isNaN(startsAt.getTime())) throw DomainError.validation('startsAt must be a date and time', 'startsAt');
  if (Number.isNaN(endsAt.getTime())) throw DomainError.validation('endsAt must be a date and time', 'endsAt');
  if (endsAt.getTime() <= startsAt.getTime()) throw DomainError.validation('endsAt must be after startsAt', 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > MAX_DURATION_MS) throw DomainError.validation('a meeting lasts at most 24 hours', 'endsAt');
}
