import { EntityManager } from '@mikro-orm/knex';
import { Dialect, LooseRow, runTogether, Statement } from '../telemetry/sql';

interface Reader {
  first: number;
  count: number;
  read: (rows: LooseRow[]) => void;
}

/**
 * The writes of one transaction that do not depend on each other, collected from the services
 * that decide them and sent by the transaction's owner with one `run` (runTogether: one round
 * trip on PostgreSQL). A writer that needs its rows back (the outbox's seqs) passes a reader,
 * which `run` calls with the rows of its statements. Run it before the commit; a rolled-back
 * attempt drops it.
 */
export class PlannedWrites {
  private statements: Statement[] = [];
  private readers: Reader[] = [];

  /** `statements`: one write, or the parts of one (an insert split by size); `read` gets all their rows. */
  add(statements: Statement | readonly Statement[], read?: (rows: LooseRow[]) => void): void {
    const list: readonly Statement[] = 'sql' in statements ? [statements] : statements;
    if (read) this.readers.push({ first: this.statements.length, count: list.length, read });
    this.statements.push(...list);
  }

  get size(): number {
    return this.statements.length;
  }

  /** Sends what was added (nothing when empty) and hands the readers their rows. */
  async run(em: EntityManager, dialect: Dialect): Promise<void> {
    const { statements, readers } = this;
    this.statements = [];
    this.readers = [];
    const results = statements.length > 0 ? await runTogether(em, dialect, statements) : [];
    for (const { first, count, read } of readers) read(results.slice(first, first + count).flat());
  }
}
