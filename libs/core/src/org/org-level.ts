/** Levels of the org tree, top to bottom (DESIGN.md section 7). */
export enum OrgLevel {
  City = 'city',
  District = 'district',
  Street = 'street',
  Community = 'community',
  Grid = 'grid',
}

export const ORG_LEVEL_ORDER: readonly OrgLevel[] = [
  OrgLevel.City,
  OrgLevel.District,
  OrgLevel.Street,
  OrgLevel.Community,
  OrgLevel.Grid,
];

export const ORG_LEVEL_LABELS: Record<OrgLevel, { en: string; zh: string }> = {
  [OrgLevel.City]: { en: 'City', zh: '市' },
  [OrgLevel.District]: { en: 'District / county', zh: '区/县' },
  [OrgLevel.Street]: { en: 'Street / township', zh: '街道/乡镇' },
  [OrgLevel.Community]: { en: 'Community / village', zh: '社区/村' },
  [OrgLevel.Grid]: { en: 'Grid', zh: '网格' },
};

/** The level a child of `level` must have, or undefined for a leaf. */
export function childLevelOf(level: OrgLevel): OrgLevel | undefined {
  return ORG_LEVEL_ORDER[ORG_LEVEL_ORDER.indexOf(level) + 1];
}

/** Urban communities (社区) and administrative villages (行政村) are both community-level units. */
export enum Settlement {
  Urban = 'urban',
  Rural = 'rural',
}

/** The four parties of the joint meeting (联席会议, DESIGN.md section 6). */
export enum PartyKind {
  PartyOrganisation = 'party_organisation',
  ResidentsCommittee = 'residents_committee',
  OwnersCommittee = 'owners_committee',
  PropertyCompany = 'property_company',
}

export const PARTY_KIND_LABELS: Record<PartyKind, { en: string; zh: string }> = {
  [PartyKind.PartyOrganisation]: { en: 'Community Party organisation', zh: '社区党组织' },
  [PartyKind.ResidentsCommittee]: { en: "Residents' committee", zh: '居委会' },
  [PartyKind.OwnersCommittee]: { en: "Owners' committee", zh: '业主委员会' },
  [PartyKind.PropertyCompany]: { en: 'Property-service company', zh: '物业服务企业' },
};
