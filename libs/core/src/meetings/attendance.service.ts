import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/knex';
import { actorOf } from '../audit/actor';
import { AuditLog } from '../audit/audit-log';
import { Account } from '../identity/entities/account.entity';
import { Principal } from '../identity/principal';
import { PartyMember } from '../org/entities/party-member.entity';
import { isUuid } from '../org/org-errors';
import { DomainError } from '../shared/domain-error';
import { MeetingAttendance } from './entities/meeting-attendance.entity';
import { MeetingParty } from './entities/meeting-party.entity';
import { Meeting } from './entities/meeting.entity';
import { assertStatus, canConvene, findVisibleMeeting } from './meeting-access';
import { loadSeats, PartySeat, quorumOf, withRepresentatives } from './meeting-record';
import { QuorumResult } from './meeting-rules';
import { notAMemberReason } from './party-membership';

export interface AttendanceInput {
  partyId: string;
  /** The person attending: an account, or a representative on the party's roster. Defaults to the caller. */
  accountId?: string;
  memberId?: string;
  /** false records that the person left (or did not come after all). */
  present?: boolean;
}

export interface AttendanceState {
  meeting: Meeting;
  parties: PartySeat[];
  quorum: QuorumResult;
}

/**
 * Attendance per party and person. A person attends only for a party they belong to
 * (party-membership.ts); members record themselves, the convener records anyone.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
  ) {}

  async list(principal: Principal, meetingId: string): Promise<AttendanceState> {
    const em = this.em.fork();
    const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
    const parties = await withRepresentatives(em, await loadSeats(em, meeting));
    return { meeting, parties, quorum: quorumOf(meeting, parties) };
  }

  async record(principal: Principal, meetingId: string, input: AttendanceInput): Promise<AttendanceState> {
    const actor = actorOf(principal);
    return this.em.fork().transactional(async (em) => {
      const meeting = await findVisibleMeeting(em, principal.scope, meetingId);
      assertStatus(meeting, ['scheduled', 'in_session'], 'record attendance');
      const seat = isUuid(input.partyId) ? await em.findOne(MeetingParty, { meeting, party: input.partyId }, { populate: ['party'] }) : null;
      if (!seat) throw DomainError.validation(`party ${input.partyId} is not invited to meeting #${meeting.seq}`, 'partyId');
      const convener = canConvene(principal, meeting);
      const person = await this.person(em, principal, input, convener);
      if (person.accountId) {
        const reason = await notAMemberReason(em, person.accountId, seat.party);
        if (reason) throw DomainError.forbidden(`${reason}: a person attends only for a party they belong to`);
      } else if (person.member && person.member.party.id !== seat.party.id) {
        throw DomainError.forbidden(`representative ${person.member.name} is on the roster of another party, not of ${seat.party.name}`);
      }
      const present = input.present ?? true;
      const key = person.accountId ? `account:${person.accountId}` : `member:${person.member!.id}`;
      const now = new Date();
      let row = await em.findOne(MeetingAttendance, { meeting, party: seat.party, attendeeKey: key });
      const before = row?.present;
      if (!row) {
        row = em.create(MeetingAttendance, {
          meeting,
          party: seat.party,
          attendeeKey: key,
          accountId: person.accountId,
          memberId: person.member?.id,
          name: person.name,
          present,
          arrivedAt: present ? now : undefined,
          leftAt: present ? undefined : now,
          recordedBy: principal.name,
        });
      } else {
        row.present = present;
        row.recordedBy = principal.name;
        if (present && !row.arrivedAt) row.arrivedAt = now;
        if (present) row.leftAt = undefined;
        else row.leftAt = now;
      }
      if (before !== present) {
        this.audit.record(em, {
          subjectType: 'meeting',
          subjectId: meeting.id,
          action: present ? 'attended' : 'left',
          actor,
          text: `${person.name} for ${seat.party.name}`,
          details: { partyId: seat.party.id, kind: seat.kind, accountId: person.accountId ?? null, memberId: person.member?.id ?? null },
        });
      }
      await em.flush();
      const parties = await withRepresentatives(em, await loadSeats(em, meeting));
      return { meeting, parties, quorum: quorumOf(meeting, parties) };
    });
  }

  /** Who is being recorded: the caller by default; someone else only by the convener. */
  private async person(
    em: EntityManager,
    principal: Principal,
    input: AttendanceInput,
    convener: boolean,
  ): Promise<{ accountId?: string; member?: PartyMember; name: string }> {
    if (input.accountId !== undefined && input.memberId !== undefined) throw DomainError.validation('give accountId or memberId, not both', 'memberId');
    if (input.memberId !== undefined) {
      if (!convener) throw DomainError.forbidden('only the convener records a representative by roster entry; record yourself instead');
      const member = isUuid(input.memberId) ? await em.findOne(PartyMember, { id: input.memberId }) : null;
      if (!member) throw DomainError.validation(`party member ${input.memberId} not found`, 'memberId');
      // A roster entry with a login is recorded as that account, so the person counts once.
      const account = await em.findOne(Account, { partyMember: member.id });
      return account ? { accountId: account.id, member, name: account.displayName } : { member, name: member.name };
    }
    const accountId = input.accountId ?? (principal.kind === 'account' ? principal.id : undefined);
    if (!accountId) throw DomainError.validation('an API key attends for nobody: give accountId or memberId', 'accountId');
    if (accountId !== principal.id && !convener) throw DomainError.forbidden('only the convener records the attendance of someone else');
    const account = isUuid(accountId) ? await em.findOne(Account, { id: accountId }) : null;
    if (!account) throw DomainError.validation(`account ${accountId} not found`, 'accountId');
    return { accountId: account.id, name: account.displayName };
  }
}
