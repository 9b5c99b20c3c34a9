import { z } from 'zod';
import { OrgLevel, PartyKind, Settlement } from './org-level';

/**
 * The shape of one import row per kind. JSON rows and CSV rows share these schemas: CSV cells
 * are strings, so booleans, numbers and member lists also accept their text forms.
 * Parents are referenced by code, so a file can be written by hand and applied twice.
 */

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', '否']);

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const boolish = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  return value;
}, z.boolean({ error: 'must be true or false' }));

const intish = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value),
  z.number({ error: 'must be a whole number' }).int('must be a whole number'),
);

const member = z.strictObject({ name: text(100), title: text(100).optional() });

/** "王芳:书记; 李强:委员" in a CSV cell, or an array of { name, title } in JSON. */
const members = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  return value
    .split(/[;；]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [name, ...title] = entry.split(/[:：]/);
      const joined = title.join(':').trim();
      return joined ? { name: name.trim(), title: joined } : { name: name.trim() };
    });
}, z.array(member));

export const unitRow = z
  .strictObject({
    code: text(64),
    name: text(200),
    nameEn: text(200).optional(),
    level: z.enum(OrgLevel, { error: `must be one of ${Object.values(OrgLevel).join(', ')}` }),
    parentCode: text(64).optional(),
    pilot: boolish.optional(),
    settlement: z.enum(Settlement, { error: `must be one of ${Object.values(Settlement).join(', ')}` }).optional(),
  })
  .superRefine((row, ctx) => {
    if (row.level !== OrgLevel.City && row.parentCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['parentCode'], message: `a ${row.level} needs a parentCode` });
    }
  });

export const propertyCompanyRow = z.strictObject({
  code: text(64),
  name: text(200),
  creditCode: text(32).optional(),
  servicePhone: text(32).optional(),
});

export const compoundRow = z.strictObject({
  code: text(64),
  name: text(200),
  communityCode: text(64),
  propertyCompanyCode: text(64).optional(),
  address: text(300).optional(),
});

export const buildingRow = z.strictObject({
  compoundCode: text(64),
  code: text(64),
  name: text(200),
  gridCode: text(64).optional(),
  floors: intish.optional(),
});

export const gridWorkerRow = z.strictObject({
  code: text(64),
  name: text(100),
  gridCode: text(64),
  fullTime: boolish.optional(),
  active: boolish.optional(),
});

export const partyRow = z
  .strictObject({
    kind: z.enum(PartyKind, { error: `must be one of ${Object.values(PartyKind).join(', ')}` }),
    name: text(200),
    communityCode: text(64).optional(),
    compoundCode: text(64).optional(),
    propertyCompanyCode: text(64).optional(),
    members: members.optional(),
  })
  .superRefine((row, ctx) => {
    if (row.communityCode === undefined && row.compoundCode === undefined) {
      ctx.addIssue({ code: 'custom', path: ['communityCode'], message: 'a party needs a communityCode or a compoundCode' });
    }
  });

/** Import kinds, in the order a multi-kind import applies them (parents before children). */
export const IMPORT_KINDS = ['units', 'property-companies', 'compounds', 'buildings', 'grid-workers', 'parties'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const ROW_SCHEMAS = {
  units: unitRow,
  'property-companies': propertyCompanyRow,
  compounds: compoundRow,
  buildings: buildingRow,
  'grid-workers': gridWorkerRow,
  parties: partyRow,
} as const;

export type ImportRow<K extends ImportKind> = z.infer<(typeof ROW_SCHEMAS)[K]>;

/** The keys of a JSON import body, one per kind. */
export const JSON_KEYS: Record<ImportKind, string> = {
  units: 'units',
  'property-companies': 'propertyCompanies',
  compounds: 'compounds',
  buildings: 'buildings',
  'grid-workers': 'gridWorkers',
  parties: 'parties',
};

/** The columns a CSV of each kind may carry (its header row), and those it must. */
export function csvColumns(kind: ImportKind): { all: string[]; required: string[] } {
  // In zod 4 a refined object is still a ZodObject, so its shape lists the row's fields.
  const shape: Record<string, z.ZodType> = ROW_SCHEMAS[kind].shape;
  const all = Object.keys(shape);
  return { all, required: all.filter((key) => !shape[key].safeParse(undefined).success) };
}
