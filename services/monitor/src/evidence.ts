import type { HourTotals } from '@ad-race/contracts';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// What the monitor keeps, in one SQLite file in its data directory: every
// need, every version's answer to it, which ad was served and which was
// clicked. Rows are keyed by what makes them one (a need by its conversation,
// an answer by its message id, a served ad and a click by their conversation),
// so a message delivered twice is counted once. Raw rows older than the
// retention period are folded into per-hour, per-version totals and deleted.

/** A need for an ad: what the fitness of every answer to it is judged against. */
export interface NeedRow {
  conversationId: string;
  createdAt: number;
  customerId: string;
  city: string;
  tier: string;
  page: string;
  /** The channel it was first heard on, such as `ad.need.v1`. */
  channel: string;
  /** When its race closes (ms since the epoch), if the need itself was heard: the ad served does not say. */
  deadlineAt?: number | null;
}

/** One version's answer to a need, valid or not, first-hand or translated by the schema adapter. */
export interface AnswerRow {
  messageId: string;
  conversationId: string;
  version: string;
  instance: string;
  channel: string;
  translated: boolean;
  shadow: boolean;
  /** When the answer was made (ms since the epoch); null for one too broken to say. */
  createdAt: number | null;
  valid: boolean;
  /** Why an invalid answer broke its contract. */
  error: string | null;
  /** The offer the answer would show (its first), as JSON, until its fitness is scored. */
  offer: string | null;
  offerId: string | null;
}

export interface ServedRow {
  conversationId: string;
  /** The version whose ad was shown; null for the house ad. */
  version: string | null;
  answerId: string | null;
  createdAt: number;
  latencyMs: number;
}

export interface ClickRow {
  conversationId: string;
  version: string;
  customerId: string;
  createdAt: number;
}

export interface Batch {
  needs: NeedRow[];
  answers: AnswerRow[];
  served: ServedRow[];
  clicks: ClickRow[];
}

/** One answer as a comparison reads it: its latency from the need, and its fitness if scored. */
export interface AnswerFact {
  conversationId: string;
  latencyMs: number;
  fitness: number | null;
  shadow: boolean;
}

/** A first-hand valid answer as the dashboard draws it, at the time of its need. */
export interface TimelineAnswer {
  needAt: number;
  version: string;
  latencyMs: number;
  fitness: number | null;
  shadow: boolean;
}

export interface VersionAt {
  needAt: number;
  version: string;
}

export interface Timeline {
  answers: TimelineAnswer[];
  /** Races won, by the version served. */
  wins: VersionAt[];
  /** Ads clicked, by the version that served them. */
  clicks: VersionAt[];
}

/** One answer of a race, as recorded. */
export interface RaceAnswerFact {
  messageId: string;
  version: string;
  channel: string;
  translated: boolean;
  shadow: boolean;
  createdAt: number | null;
  valid: boolean;
}

/** A race decided: its need, who won (null: the house ad), and every answer to it. */
export interface RaceFacts {
  conversationId: string;
  needAt: number;
  deadlineAt: number | null;
  page: string;
  winner: string | null;
  winningAnswerId: string | null;
  answers: RaceAnswerFact[];
}

/** Scores the fitness of an offer (as JSON) for the customer of a need; null if it cannot be scored. */
export type Scorer = (offerJson: string, need: Pick<NeedRow, 'customerId' | 'city' | 'tier'>) => number | null;

const HOUR_MS = 3600_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS needs (
  conversation_id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  customer_id TEXT NOT NULL,
  city TEXT NOT NULL,
  tier TEXT NOT NULL,
  page TEXT NOT NULL,
  channel TEXT NOT NULL,
  deadline_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS needs_by_time ON needs (created_at);

CREATE TABLE IF NOT EXISTS answers (
  message_id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL,
  version TEXT NOT NULL,
  instance TEXT NOT NULL,
  channel TEXT NOT NULL,
  translated INTEGER NOT NULL,
  shadow INTEGER NOT NULL,
  created_at INTEGER,
  valid INTEGER NOT NULL,
  error TEXT,
  offer_id TEXT,
  offer TEXT,
  fitness REAL
);
CREATE INDEX IF NOT EXISTS answers_by_conversation ON answers (conversation_id);
CREATE INDEX IF NOT EXISTS answers_unscored ON answers (conversation_id) WHERE offer IS NOT NULL;
CREATE INDEX IF NOT EXISTS answers_invalid ON answers (version, created_at) WHERE valid = 0;

CREATE TABLE IF NOT EXISTS served (
  conversation_id TEXT PRIMARY KEY,
  version TEXT,
  answer_id TEXT,
  created_at INTEGER NOT NULL,
  latency_ms REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS clicks (
  conversation_id TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS hourly (
  hour INTEGER NOT NULL,
  version TEXT NOT NULL,
  answers INTEGER NOT NULL DEFAULT 0,
  invalid INTEGER NOT NULL DEFAULT 0,
  latency_sum REAL NOT NULL DEFAULT 0,
  latency_n INTEGER NOT NULL DEFAULT 0,
  fitness_sum REAL NOT NULL DEFAULT 0,
  fitness_n INTEGER NOT NULL DEFAULT 0,
  wins INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, version)
) WITHOUT ROWID;
`;

/**
 * The monitor's evidence: an embedded SQLite database in write-ahead-log mode.
 * A committed batch survives the process being killed (SIGKILL included); the
 * monitor acknowledges a message only after the batch holding it is committed.
 */
export class Evidence {
  private readonly db: Database.Database;
  private readonly insertBatch: (batch: Batch) => number;
  private readonly statements;

  constructor(
    dataDir: string,
    private readonly score: Scorer,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'evidence.sqlite'));
    // WAL: readers do not block the writer; NORMAL: a commit is durable against a crash of the
    // process (not of the machine's power), which is what a kill -9 is.
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    // A database made before needs kept their deadline gets the column (null for the needs it holds).
    if (!(this.db.pragma('table_info(needs)') as { name: string }[]).some((c) => c.name === 'deadline_at')) {
      this.db.exec('ALTER TABLE needs ADD COLUMN deadline_at INTEGER');
    }
    const db = this.db;
    const s = {
      // A need told of first by its ad served learns its deadline when the need itself comes.
      need: db.prepare(
        `INSERT INTO needs (conversation_id, created_at, customer_id, city, tier, page, channel, deadline_at)
         VALUES (@conversationId, @createdAt, @customerId, @city, @tier, @page, @channel, @deadlineAt)
         ON CONFLICT (conversation_id) DO UPDATE SET deadline_at = excluded.deadline_at
         WHERE needs.deadline_at IS NULL AND excluded.deadline_at IS NOT NULL`,
      ),
      answer: db.prepare(
        `INSERT OR IGNORE INTO answers (message_id, conversation_id, version, instance, channel, translated, shadow, created_at, valid, error, offer_id, offer)
         VALUES (@messageId, @conversationId, @version, @instance, @channel, @translated, @shadow, @createdAt, @valid, @error, @offerId, @offer)`,
      ),
      served: db.prepare(
        'INSERT OR IGNORE INTO served (conversation_id, version, answer_id, created_at, latency_ms) VALUES (@conversationId, @version, @answerId, @createdAt, @latencyMs)',
      ),
      click: db.prepare('INSERT OR IGNORE INTO clicks (conversation_id, version, customer_id, created_at) VALUES (@conversationId, @version, @customerId, @createdAt)'),
      unscored: db.prepare(
        `SELECT a.message_id AS messageId, a.offer AS offer, n.customer_id AS customerId, n.city AS city, n.tier AS tier
         FROM answers a JOIN needs n ON n.conversation_id = a.conversation_id WHERE a.offer IS NOT NULL LIMIT 5000`,
      ),
      scored: db.prepare('UPDATE answers SET fitness = ?, offer = NULL WHERE message_id = ?'),
      versionAnswers: db.prepare(
        `SELECT a.conversation_id AS conversationId, a.created_at - n.created_at AS latencyMs, a.fitness AS fitness, a.shadow AS shadow
         FROM needs n JOIN answers a ON a.conversation_id = n.conversation_id
         WHERE n.created_at >= ? AND n.created_at < ? AND a.version = ? AND a.translated = 0 AND a.valid = 1`,
      ),
      // The outcomes of a version's answers, each counted with (version, from, to).
      versionInvalid: db.prepare('SELECT count(*) AS n FROM answers WHERE version = ? AND valid = 0 AND created_at >= ? AND created_at < ?'),
      versionWins: db.prepare(
        'SELECT count(*) AS n FROM served s JOIN needs n ON n.conversation_id = s.conversation_id WHERE s.version = ? AND n.created_at >= ? AND n.created_at < ?',
      ),
      versionClicks: db.prepare(
        'SELECT count(*) AS n FROM clicks c JOIN needs n ON n.conversation_id = c.conversation_id WHERE c.version = ? AND n.created_at >= ? AND n.created_at < ?',
      ),
      // A shadow answer made before the answer that was served would have won, had it been shown.
      versionWouldHaveWon: db.prepare(
        `SELECT count(*) AS n FROM answers a
           JOIN needs n ON n.conversation_id = a.conversation_id
           JOIN served s ON s.conversation_id = a.conversation_id
           JOIN answers w ON w.message_id = s.answer_id
         WHERE a.version = ? AND a.shadow = 1 AND a.translated = 0 AND a.valid = 1 AND a.created_at < w.created_at
           AND n.created_at >= ? AND n.created_at < ?`,
      ),
      needCounts: db.prepare(
        `SELECT count(*) AS needs, count(s.conversation_id) FILTER (WHERE s.version IS NULL AND s.conversation_id IS NOT NULL) AS houseAds
         FROM needs n LEFT JOIN served s ON s.conversation_id = n.conversation_id WHERE n.created_at >= ? AND n.created_at < ?`,
      ),
      timelineAnswers: db.prepare(
        `SELECT n.created_at AS needAt, a.version AS version, a.created_at - n.created_at AS latencyMs, a.fitness AS fitness, a.shadow AS shadow
         FROM needs n JOIN answers a ON a.conversation_id = n.conversation_id
         WHERE n.created_at >= ? AND n.created_at < ? AND a.translated = 0 AND a.valid = 1`,
      ),
      timelineWins: db.prepare(
        `SELECT n.created_at AS needAt, s.version AS version FROM needs n JOIN served s ON s.conversation_id = n.conversation_id
         WHERE n.created_at >= ? AND n.created_at < ? AND s.version IS NOT NULL`,
      ),
      timelineClicks: db.prepare(
        'SELECT n.created_at AS needAt, c.version AS version FROM needs n JOIN clicks c ON c.conversation_id = n.conversation_id WHERE n.created_at >= ? AND n.created_at < ?',
      ),
      // The newest needs first, by their time index; those not yet decided are passed over.
      lastServed: db.prepare(
        `SELECT n.conversation_id AS conversationId, n.created_at AS needAt, n.deadline_at AS deadlineAt, n.page AS page,
                s.version AS winner, s.answer_id AS winningAnswerId
         FROM needs n JOIN served s ON s.conversation_id = n.conversation_id
         ORDER BY n.created_at DESC LIMIT ?`,
      ),
      // Every answer to the races lastServed gives for the same limit.
      lastServedAnswers: db.prepare(
        `SELECT conversation_id AS conversationId, message_id AS messageId, version, channel, translated, shadow, created_at AS createdAt, valid
         FROM answers WHERE conversation_id IN (
           SELECT n.conversation_id FROM needs n JOIN served s ON s.conversation_id = n.conversation_id
           ORDER BY n.created_at DESC LIMIT ?)`,
      ),
    };
    this.statements = s;
    const flag = (b: boolean) => (b ? 1 : 0);
    this.insertBatch = db.transaction((batch: Batch) => {
      let changes = 0;
      for (const need of batch.needs) changes += s.need.run({ ...need, deadlineAt: need.deadlineAt ?? null }).changes;
      for (const a of batch.answers) changes += s.answer.run({ ...a, translated: flag(a.translated), shadow: flag(a.shadow), valid: flag(a.valid) }).changes;
      for (const served of batch.served) changes += s.served.run(served).changes;
      for (const click of batch.clicks) changes += s.click.run(click).changes;
      this.scorePending();
      return changes;
    });
  }

  /** Writes a batch in one transaction; returns how many rows were new (a redelivery adds none). */
  record(batch: Batch): number {
    return this.insertBatch(batch);
  }

  /** Scores answers whose need has arrived: an answer can come before its need, most of all while catching up. */
  private scorePending(): void {
    for (;;) {
      const rows = this.statements.unscored.all() as { messageId: string; offer: string; customerId: string; city: string; tier: string }[];
      for (const row of rows) this.statements.scored.run(this.score(row.offer, row), row.messageId);
      if (rows.length < 5000) return;
    }
  }

  /** Every first-hand, valid answer of a version to the needs made in [from, to), with its latency from the need. */
  answers(version: string, from: number, to: number): AnswerFact[] {
    return this.statements.versionAnswers.all(from, to, version).map((r) => {
      const row = r as { conversationId: string; latencyMs: number; fitness: number | null; shadow: number };
      return { conversationId: row.conversationId, latencyMs: row.latencyMs, fitness: row.fitness, shadow: row.shadow === 1 };
    });
  }

  /** What happened to a version's answers in [from, to): invalid ones, races won, ads served and clicked, and shadow answers that came first. */
  outcomes(version: string, from: number, to: number): { invalid: number; wins: number; clicks: number; wouldHaveWon: number } {
    const s = this.statements;
    const one = (statement: Database.Statement) => (statement.get(version, from, to) as { n: number }).n;
    return {
      invalid: one(s.versionInvalid),
      wins: one(s.versionWins),
      clicks: one(s.versionClicks),
      wouldHaveWon: one(s.versionWouldHaveWon),
    };
  }

  /** Needs made in [from, to), and how many of them were served the house ad. */
  needs(from: number, to: number): { needs: number; houseAds: number } {
    return this.statements.needCounts.get(from, to) as { needs: number; houseAds: number };
  }

  /** Per-hour totals of every version's first-hand answers to the needs made in [from, to), from the raw rows. */
  private rawHourTotals(from: number, to: number): HourRow[] {
    return this.db
      .prepare(
        `SELECT n.created_at / ${HOUR_MS} AS hour, a.version AS version, count(*) AS answers, sum(1 - a.valid) AS invalid,
                coalesce(sum(CASE WHEN a.valid = 1 THEN a.created_at - n.created_at END), 0) AS latency_sum, sum(a.valid) AS latency_n,
                coalesce(sum(a.fitness), 0) AS fitness_sum, count(a.fitness) AS fitness_n,
                (SELECT count(*) FROM served s JOIN needs m ON m.conversation_id = s.conversation_id
                  WHERE s.version = a.version AND m.created_at / ${HOUR_MS} = n.created_at / ${HOUR_MS}) AS wins,
                (SELECT count(*) FROM clicks c JOIN needs m ON m.conversation_id = c.conversation_id
                  WHERE c.version = a.version AND m.created_at / ${HOUR_MS} = n.created_at / ${HOUR_MS}) AS clicks
         FROM needs n JOIN answers a ON a.conversation_id = n.conversation_id
         WHERE n.created_at >= ? AND n.created_at < ? AND a.translated = 0
         GROUP BY hour, a.version`,
      )
      .all(from, to) as HourRow[];
  }

  /**
   * Per-hour totals of every version in [from, to): from the raw rows where
   * they are kept, and from the totals of hours already pruned.
   */
  hourly(from: number, to: number): HourTotals[] {
    const raw = this.rawHourTotals(from, to);
    const kept = this.db
      .prepare('SELECT * FROM hourly WHERE hour >= ? AND hour < ?')
      .all(Math.floor(from / HOUR_MS), Math.ceil(to / HOUR_MS)) as HourRow[];
    const totals = new Map<string, HourRow>();
    for (const row of [...kept, ...raw]) {
      const key = `${row.hour}/${row.version}`;
      const sum = totals.get(key);
      if (!sum) totals.set(key, { ...row });
      else for (const k of ['answers', 'invalid', 'latency_sum', 'latency_n', 'fitness_sum', 'fitness_n', 'wins', 'clicks'] as const) sum[k] += row[k];
    }
    return [...totals.values()]
      .sort((a, b) => a.hour - b.hour || a.version.localeCompare(b.version))
      .map((r) => ({
        hour: new Date(r.hour * HOUR_MS).toISOString(),
        version: r.version,
        answers: r.answers,
        invalid: r.invalid,
        meanLatencyMs: r.latency_n > 0 ? round(r.latency_sum / r.latency_n) : null,
        meanFitness: r.fitness_n > 0 ? round(r.fitness_sum / r.fitness_n) : null,
        wins: r.wins,
        clicks: r.clicks,
      }));
  }

  /**
   * Folds the raw rows of needs made before `before` (rounded down to the hour)
   * into the per-hour totals and deletes them, in one transaction. Returns the
   * number of needs pruned.
   */
  prune(before: number): number {
    const cutoff = Math.floor(before / HOUR_MS) * HOUR_MS;
    return this.db.transaction(() => {
      const rows = this.rawHourTotals(0, cutoff);
      const add = this.db.prepare(
        `INSERT INTO hourly (hour, version, answers, invalid, latency_sum, latency_n, fitness_sum, fitness_n, wins, clicks)
         VALUES (@hour, @version, @answers, @invalid, @latency_sum, @latency_n, @fitness_sum, @fitness_n, @wins, @clicks)
         ON CONFLICT (hour, version) DO UPDATE SET answers = answers + excluded.answers, invalid = invalid + excluded.invalid,
           latency_sum = latency_sum + excluded.latency_sum, latency_n = latency_n + excluded.latency_n,
           fitness_sum = fitness_sum + excluded.fitness_sum, fitness_n = fitness_n + excluded.fitness_n,
           wins = wins + excluded.wins, clicks = clicks + excluded.clicks`,
      );
      for (const row of rows) add.run(row);
      const old = 'SELECT conversation_id FROM needs WHERE created_at < ?';
      this.db.prepare(`DELETE FROM answers WHERE conversation_id IN (${old})`).run(cutoff);
      this.db.prepare(`DELETE FROM served WHERE conversation_id IN (${old})`).run(cutoff);
      this.db.prepare(`DELETE FROM clicks WHERE conversation_id IN (${old})`).run(cutoff);
      // Answers whose need never came are kept no longer than the rest.
      this.db.prepare('DELETE FROM answers WHERE created_at < ?').run(cutoff);
      return this.db.prepare('DELETE FROM needs WHERE created_at < ?').run(cutoff).changes;
    })();
  }

  /**
   * What the dashboard draws of the needs made in [from, to), each fact with the time of its need:
   * every version's first-hand valid answers, the races each version won, and the ads clicked.
   * Read by the needs' time index, so a short window costs little.
   */
  timeline(from: number, to: number): Timeline {
    const s = this.statements;
    return {
      answers: (s.timelineAnswers.all(from, to) as (Omit<TimelineAnswer, 'shadow'> & { shadow: number })[]).map((r) => ({ ...r, shadow: r.shadow === 1 })),
      wins: s.timelineWins.all(from, to) as VersionAt[],
      clicks: s.timelineClicks.all(from, to) as VersionAt[],
    };
  }

  /** The last `limit` races decided (needs with an ad served), newest first, with every answer to each. */
  lastRaces(limit: number): RaceFacts[] {
    const races = this.statements.lastServed.all(limit) as Omit<RaceFacts, 'answers'>[];
    if (races.length === 0) return [];
    const answers = this.statements.lastServedAnswers.all(limit) as (Omit<RaceAnswerFact, 'translated' | 'shadow' | 'valid'> & { conversationId: string; translated: number; shadow: number; valid: number })[];
    return races.map((race) => ({
      ...race,
      answers: answers
        .filter((a) => a.conversationId === race.conversationId)
        .map(({ conversationId: _, ...a }) => ({ ...a, translated: a.translated === 1, shadow: a.shadow === 1, valid: a.valid === 1 })),
    }));
  }

  /** How many rows each table holds: for metrics and tests. */
  counts(): Record<'needs' | 'answers' | 'served' | 'clicks' | 'hourly', number> {
    const n = (table: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { needs: n('needs'), answers: n('answers'), served: n('served'), clicks: n('clicks'), hourly: n('hourly') };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

interface HourRow {
  hour: number;
  version: string;
  answers: number;
  invalid: number;
  latency_sum: number;
  latency_n: number;
  fitness_sum: number;
  fitness_n: number;
  wins: number;
  clicks: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
