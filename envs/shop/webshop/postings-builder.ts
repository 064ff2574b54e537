/**
 * Building the catalog's BM25 postings (term → doc ids + term frequencies) for a catalog too large
 * to hold every posting in memory: postings accumulate in typed-array runs until FLUSH_POSTINGS of
 * them are held, then go to a scratch table as one part per term; `finish` merges each term's parts
 * (doc ids only grow, so parts concatenate in order) into the `postings` table and drops the
 * scratch. Peak memory is bounded by the flush size, not by the catalog.
 * @module
 */
import type Database from 'better-sqlite3';
import { tokenize } from '../catalog.js';

/** Postings held in memory before a flush (about 9 bytes each while held). */
export const FLUSH_POSTINGS = 6_000_000;

class Run {
  docs = new Int32Array(4);
  tfs = new Uint8Array(4);
  n = 0;
  push(doc: number, tf: number): void {
    if (this.n === this.docs.length) {
      const d = new Int32Array(this.n * 2);
      d.set(this.docs);
      this.docs = d;
      const t = new Uint8Array(this.n * 2);
      t.set(this.tfs);
      this.tfs = t;
    }
    this.docs[this.n] = doc;
    this.tfs[this.n] = tf;
    this.n++;
  }
}

export class PostingsBuilder {
  private runs = new Map<string, Run>();
  private held = 0;
  private part = 0;
  private lens: Uint16Array = new Uint16Array(1024);
  private docs = 0;
  private total = 0;
  private readonly insPart: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly flushAt = FLUSH_POSTINGS) {
    db.exec('CREATE TABLE postings_part (term TEXT NOT NULL, part INTEGER NOT NULL, docs BLOB NOT NULL, tfs BLOB NOT NULL, PRIMARY KEY (term, part)) WITHOUT ROWID');
    this.insPart = db.prepare('INSERT INTO postings_part (term, part, docs, tfs) VALUES (?, ?, ?, ?)');
  }

  /** Adds document `doc` (ids must be 0, 1, 2, ... in order). Call inside a transaction. */
  add(doc: number, text: string): void {
    if (doc !== this.docs) throw new Error(`PostingsBuilder: documents must come in order (expected ${this.docs}, got ${doc})`);
    const tokens = tokenize(text);
    if (doc === this.lens.length) {
      const l = new Uint16Array(this.lens.length * 2);
      l.set(this.lens);
      this.lens = l;
    }
    this.lens[doc] = Math.min(65535, tokens.length);
    this.total += tokens.length;
    this.docs++;
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      let run = this.runs.get(t);
      if (run === undefined) this.runs.set(t, (run = new Run()));
      run.push(doc, Math.min(255, n));
    }
    this.held += tf.size;
    if (this.held >= this.flushAt) this.flush();
  }

  private flush(): void {
    for (const [t, run] of this.runs) {
      this.insPart.run(t, this.part, Buffer.from(run.docs.buffer, 0, run.n * 4), Buffer.from(run.tfs.buffer, 0, run.n));
    }
    this.runs = new Map();
    this.held = 0;
    this.part++;
  }

  /** Writes `postings` and `doclens` (call inside a transaction). */
  finish(): { docs: number; parts: number } {
    this.flush();
    const ins = this.db.prepare('INSERT INTO postings (term, docs, tfs) VALUES (?, ?, ?)');
    let term: string | null = null;
    let docs: Buffer[] = [];
    let tfs: Buffer[] = [];
    const emit = () => {
      if (term !== null) ins.run(term, docs.length === 1 ? docs[0]! : Buffer.concat(docs), tfs.length === 1 ? tfs[0]! : Buffer.concat(tfs));
    };
    // Paged (better-sqlite3 cannot write while a read iterator is open); a term may span pages.
    const page = this.db.prepare('SELECT term, part, docs, tfs FROM postings_part WHERE (term, part) > (?, ?) ORDER BY term, part LIMIT 20000');
    let after: [string, number] = ['', -1];
    for (;;) {
      const rows = page.all(after[0], after[1]) as { term: string; part: number; docs: Buffer; tfs: Buffer }[];
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.term !== term) {
          emit();
          term = row.term;
          docs = [];
          tfs = [];
        }
        docs.push(row.docs);
        tfs.push(row.tfs);
      }
      const last = rows[rows.length - 1]!;
      after = [last.term, last.part];
    }
    emit();
    this.db.exec('DROP TABLE postings_part');
    const lens = this.lens.subarray(0, this.docs);
    this.db.prepare('INSERT INTO doclens (id, lens, total) VALUES (1, ?, ?)').run(Buffer.from(lens.buffer, lens.byteOffset, lens.byteLength), this.total);
    return { docs: this.docs, parts: this.part };
  }
}
