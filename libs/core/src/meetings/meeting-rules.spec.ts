import { PartyKind } from '../org/org-level';
import { evaluateQuorum, ruleOutcome, tally } from './meeting-rules';
import { DEFAULT_QUORUM } from './meeting-states';

const all = [PartyKind.PartyOrganisation, PartyKind.ResidentsCommittee, PartyKind.OwnersCommittee, PartyKind.PropertyCompany];

describe('quorum', () => {
  it('needs all four parties by default and names the absent ones', () => {
    expect(evaluateQuorum(DEFAULT_QUORUM, all.map((kind) => ({ kind }))).met).toBe(true);
    const three = evaluateQuorum(DEFAULT_QUORUM, all.filter((k) => k !== PartyKind.OwnersCommittee).map((kind) => ({ kind })));
    expect(three).toMatchObject({ met: false, missingKinds: [PartyKind.OwnersCommittee], reason: 'quorum not met: owners_committee absent' });
  });

  it('can require a minimum number of parties instead', () => {
    const rule = { requiredKinds: [PartyKind.PartyOrganisation], minParties: 3 };
    expect(evaluateQuorum(rule, [{ kind: PartyKind.PartyOrganisation }, { kind: PartyKind.OwnersCommittee }]).reason).toBe('quorum not met: 2 parties present, 3 required');
    expect(evaluateQuorum(rule, [{ kind: PartyKind.PartyOrganisation }, { kind: PartyKind.OwnersCommittee }, { kind: PartyKind.OwnersCommittee }]).met).toBe(true);
  });
});

describe('decision rules', () => {
  it('adopts under consensus only without objection and with a majority agreeing', () => {
    expect(ruleOutcome('consensus', tally(4, ['agree', 'agree', 'agree', 'abstain'])).outcome).toBe('adopted');
    expect(ruleOutcome('consensus', tally(4, ['agree', 'agree', 'agree', 'object'])).outcome).toBe('rejected');
    expect(ruleOutcome('consensus', tally(4, ['agree', 'agree', 'abstain', 'abstain'])).outcome).toBe('rejected');
  });

  it('adopts under majority despite an objection, and under unanimity only when all agree', () => {
    expect(ruleOutcome('majority', tally(4, ['agree', 'agree', 'agree', 'object'])).outcome).toBe('adopted');
    expect(ruleOutcome('unanimous', tally(4, ['agree', 'agree', 'agree', 'abstain'])).outcome).toBe('rejected');
    expect(ruleOutcome('unanimous', tally(3, ['agree', 'agree', 'agree']))).toEqual({ outcome: 'adopted', reason: 'unanimous: 3 of 3 present parties agree, 0 object, 0 abstain' });
  });
});
