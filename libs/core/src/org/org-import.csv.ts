import { parse } from 'csv-parse/sync';
import { DomainError } from '../shared/domain-error';
import { csvColumns, ImportKind } from './org-import.rows';

/** One data row: its values by column, or why it could not become a record (a row error). */
export type CsvRow = { values: Record<string, string> } | { problem: string };

/**
 * Reads a CSV of one import kind: a header row naming the columns, then one row per record.
 * Empty cells mean "not given". A file that is not CSV, or whose header names an unknown
 * column or misses a required one, is refused as a whole; a row with the wrong number of
 * cells is a row error, so the good rows still go in.
 */
export function parseImportCsv(kind: ImportKind, text: string): CsvRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as string[][];
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DomainError('validation', `malformed CSV: ${reason}`, [{ message: reason }], { cause: error });
  }
  const [header, ...rows] = records;
  if (!header) throw DomainError.validation(`the CSV is empty: it needs a header row naming the ${kind} columns`);
  const columns = csvColumns(kind);
  const unknown = header.filter((name) => !columns.all.includes(name));
  if (unknown.length > 0) {
    throw new DomainError(
      'validation',
      `unknown CSV column(s) for ${kind}: ${unknown.join(', ')}; allowed: ${columns.all.join(', ')}`,
      unknown.map((field) => ({ field, message: `unknown column ${field}` })),
    );
  }
  const duplicated = header.filter((name, i) => header.indexOf(name) !== i);
  if (duplicated.length > 0) throw DomainError.validation(`CSV column ${duplicated[0]} appears twice`, duplicated[0]);
  const missing = columns.required.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new DomainError(
      'validation',
      `the CSV header misses required column(s) for ${kind}: ${missing.join(', ')}`,
      missing.map((field) => ({ field, message: `missing column ${field}` })),
    );
  }
  return rows.map((cells): CsvRow => {
    if (cells.length !== header.length) return { problem: `the row has ${cells.length} cells, the header has ${header.length}` };
    return { values: Object.fromEntries(header.map((name, i) => [name, cells[i]]).filter(([, value]) => value !== '')) };
  });
}
