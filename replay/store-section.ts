/**
 * The shared floor of the stores that keep their own tables in a run store's database (the league
 * store, the training-league store): the connection, prepared statements cached by text, and the
 * closed / read-only checks with their typed errors.
 * @module
 */
import type Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import type { RunStore } from './store.js';

export abstract class StoreSection {
  readonly db: Database.Database;
  private readonly readonly: boolean;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly store: RunStore) {
    this.db = store.db;
    this.readonly = store.options.readonly;
  }

  /** Whether the database has the table (a read-only store at an older schema version may not). */
  protected hasTable(name: string): boolean {
    return this.sql(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`).pluck().get(name) === 1;
  }

  /** A prepared statement, cached by its text. */
  protected sql(text: string): Database.Statement {
    if (!this.db.open) throw new StoreError('STORE_CLOSED', `The store '${this.store.path}' is closed: open it again with openStore().`);
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }

  /** Throws STORE_READONLY when the store was opened read-only. */
  protected writable(): void {
    if (this.readonly) throw new StoreError('STORE_READONLY', `The store '${this.store.path}' is open read-only: open it without { readonly: true } to write.`);
  }
}
