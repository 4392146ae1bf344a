/**
 * The audit log's store (migration 006_audit_log.sql): appending the
 * gateway's batches to a hash chain, verifying the chain, and the credit
 * office's and the subject's queries.
 *
 * The chain: entry n's hash is sha256(hash of entry n-1 || canonical JSON of
 * entry n's fields, seq included); the first entry's prev_hash is null. One
 * batch is one transaction holding a transaction-scoped advisory lock, so
 * appends from any number of subgraph replicas are serialised: each reads
 * the head, draws its seqs and inserts before the next may start, and the
 * chain cannot fork. A crash mid-batch rolls the whole batch back, leaving
 * the chain as it was; the gateway delivers the batch again.
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../../lib/db';
import type { AuditEntry } from '../../lib/audit-entry';

/** Key of the advisory lock serialising appends (one chain per credit database). */
const APPEND_LOCK = 'credit.audit_entry.append';

/** An entry as stored, with its place in the chain. */
export interface StoredAuditEntry extends AuditEntry {
  /** Decimal string (bigint). */
  seq: string;
  prevHash: string | null;
  hash: string;
}

export interface AppendResult {
  /** Entries stored now. */
  stored: number;
  /** Entries already stored (an earlier delivery) or named twice in the batch: not stored again. */
  duplicates: number;
}

/** Canonical instant: UTC, millisecond precision (what the SQL of `readColumns` produces). */
function canonicalInstant(at: string): string {
  return new Date(at).toISOString();
}

/**
 * The text an entry's hash covers: JSON of its fields in a fixed order, with
 * the instant canonical, so the application and any independent verifier
 * (`sha256(prev_hash || this)`) agree byte for byte.
 */
export function canonicalAuditJson(seq: string, entry: AuditEntry): string {
  const fields: unknown[] = [
    seq,
    entry.entryId.toLowerCase(),
    canonicalInstant(entry.at),
    entry.requestId,
    entry.clientId,
    entry.role,
    entry.purpose,
    entry.operationName,
    entry.subjects,
    entry.fieldGroups,
    entry.outcome,
  ];
  // Migration 015's fields join the hashed text only when they say something, so older entries keep their hashes.
  const clientRequestId = entry.clientRequestId ?? null;
  const sourceAddress = entry.sourceAddress ?? null;
  const count = entry.count ?? 1;
  if (clientRequestId !== null || sourceAddress !== null || count !== 1) fields.push(clientRequestId, sourceAddress, count);
  return JSON.stringify(fields);
}

export function auditEntryHash(prevHash: string | null, seq: string, entry: AuditEntry): string {
  return crypto
    .createHash('sha256')
    .update(prevHash ?? '')
    .update(canonicalAuditJson(seq, entry))
    .digest('hex');
}

/**
 * Appends a batch in one transaction: takes the append lock, skips entries
 * already stored (and repeats within the batch) before anything is hashed —
 * ON CONFLICT DO NOTHING after hashing would leave the next entry pointing
 * at a hash that was never stored — then chains and inserts the rest in one
 * statement. The INSERT has no ON CONFLICT on purpose: under the lock a
 * conflict cannot happen, and if one did (a writer bypassing the lock), the
 * batch fails whole rather than forking the chain.
 */
export async function appendAuditEntries(db: Pick<Database, 'transaction'>, entries: readonly AuditEntry[]): Promise<AppendResult> {
  if (entries.length === 0) return { stored: 0, duplicates: 0 };
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [APPEND_LOCK]);
    const ids = entries.map((e) => e.entryId.toLowerCase());
    const existing = new Set(
      (await tx.query<{ id: string }>('SELECT entry_id::text AS id FROM audit_entry WHERE entry_id = ANY($1::uuid[])', [ids])).map((r) => r.id),
    );
    const fresh: AuditEntry[] = [];
    for (const entry of entries) {
      const id = entry.entryId.toLowerCase();
      if (existing.has(id)) continue;
      existing.add(id);
      fresh.push(entry);
    }
    if (fresh.length === 0) return { stored: 0, duplicates: entries.length };

    const [head] = await tx.query<{ hash: string }>('SELECT hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
    // Drawn under the lock: seqs grow in the order batches commit. Sorted, since
    // a set-returning SELECT promises no order.
    const seqs = (
      await tx.query<{ seq: string }>("SELECT nextval('audit_entry_seq_seq')::text AS seq FROM generate_series(1, $1::int)", [fresh.length])
    )
      .map((r) => BigInt(r.seq))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let prevHash: string | null = head?.hash ?? null;
    const rows = fresh.map((entry, index) => {
      const seq = seqs[index]!.toString();
      const hash = auditEntryHash(prevHash, seq, entry);
      const row = {
        seq,
        entry_id: entry.entryId.toLowerCase(),
        at: canonicalInstant(entry.at),
        request_id: entry.requestId,
        client_id: entry.clientId,
        role: entry.role,
        purpose: entry.purpose,
        operation_name: entry.operationName,
        subjects: entry.subjects,
        field_groups: entry.fieldGroups,
        outcome: entry.outcome,
        client_request_id: entry.clientRequestId ?? null,
        source_address: entry.sourceAddress ?? null,
        request_count: entry.count ?? 1,
        prev_hash: prevHash,
        hash,
      };
      prevHash = hash;
      return row;
    });
    await tx.query(
      `INSERT INTO audit_entry (seq, entry_id, at, request_id, client_id, role, purpose, operation_name, subjects, field_groups, outcome,
                                client_request_id, source_address, request_count, prev_hash, hash)
       SELECT r.seq, r.entry_id, r.at, r.request_id, r.client_id, r.role, r.purpose, r.operation_name,
              ARRAY(SELECT jsonb_array_elements_text(r.subjects)), ARRAY(SELECT jsonb_array_elements_text(r.field_groups)),
              r.outcome, r.client_request_id, r.source_address, r.request_count, r.prev_hash, r.hash
         FROM jsonb_to_recordset($1::jsonb) AS r(seq bigint, entry_id uuid, at timestamptz, request_id text, client_id text, role text,
              purpose text, operation_name text, subjects jsonb, field_groups jsonb, outcome text,
              client_request_id text, source_address text, request_count integer, prev_hash text, hash text)`,
      [JSON.stringify(rows)],
    );
    return { stored: fresh.length, duplicates: entries.length - fresh.length };
  });
}

/**
 * Columns of a stored entry, the instant in the canonical form the hash
 * covers. `seq` comes out as text, so ORDER BY must name `audit_entry.seq`:
 * a bare `seq` would sort the text alias ('10' before '9').
 */
const COLUMNS = `seq::text AS seq, entry_id::text AS "entryId",
  to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  request_id AS "requestId", client_request_id AS "clientRequestId", source_address AS "sourceAddress", request_count AS count,
  client_id AS "clientId", role, purpose, operation_name AS "operationName",
  subjects, field_groups AS "fieldGroups", outcome, prev_hash AS "prevHash", hash`;

export type ChainVerification =
  | { ok: true; entries: number; headSeq: string | null; headHash: string | null }
  | { ok: false; entries: number; brokenAt: string; reason: string };

export interface VerifyOptions {
  /** First seq to verify (its link to the entry before it is checked too); default the first entry. */
  from?: string | bigint;
  /** Last seq to verify; default the last entry. */
  to?: string | bigint;
  /** Entries read per statement (memory stays bounded whatever the log's size). */
  pageSize?: number;
}

/**
 * Recomputes every hash in seq order, in pages, and checks each entry's
 * prev_hash against the hash of the entry before it. `entries` counts the
 * entries found intact (before the break, when there is one).
 */
export async function verifyAuditChain(q: Queryable, options: VerifyOptions = {}): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 2000;
  const from = options.from !== undefined ? BigInt(options.from) : null;
  const to = options.to !== undefined ? BigInt(options.to) : null;
  let expectedPrev: string | null = null;
  if (from !== null) {
    const [before] = await q.query<{ hash: string }>('SELECT hash FROM audit_entry WHERE seq < $1 ORDER BY seq DESC LIMIT 1', [from.toString()]);
    expectedPrev = before?.hash ?? null;
  }
  let after: string = from !== null ? (from - 1n).toString() : '-1';
  let entries = 0;
  let head: StoredAuditEntry | undefined;
  for (;;) {
    const page = await q.query<StoredAuditEntry>(
      `SELECT ${COLUMNS} FROM audit_entry WHERE seq > $1 AND ($2::bigint IS NULL OR seq <= $2) ORDER BY audit_entry.seq LIMIT $3`,
      [after, to?.toString() ?? null, pageSize],
    );
    for (const row of page) {
      if (row.prevHash !== expectedPrev) {
        return {
          ok: false,
          entries,
          brokenAt: row.seq,
          reason: expectedPrev === null
            ? `entry ${row.seq} names a previous hash but no entry comes before it`
            : `entry ${row.seq} does not link to the entry before it (prev_hash ${row.prevHash ?? 'null'}, expected ${expectedPrev}): an entry was removed or inserted`,
        };
      }
      if (auditEntryHash(row.prevHash, row.seq, row) !== row.hash) {
        return { ok: false, entries, brokenAt: row.seq, reason: `entry ${row.seq}'s hash does not match its contents: the entry was changed` };
      }
      expectedPrev = row.hash;
      entries += 1;
      head = row;
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.seq;
  }
  return { ok: true, entries, headSeq: head?.seq ?? null, headHash: head?.hash ?? null };
}

export interface AuditLogFilter {
  clientId?: string | null;
  role?: string | null;
  subjectCode?: string | null;
  /** Instants (ISO-8601); `from` inclusive, `to` exclusive. */
  from?: string | null;
  to?: string | null;
  outcome?: string | null;
}

/**
 * One page of the log, newest first (by seq), `limit` rows after the cursor
 * `beforeSeq` (exclusive). Callers ask for one more row than they show to
 * learn whether a next page exists.
 */
export async function queryAuditLog(q: Queryable, filter: AuditLogFilter, limit: number, beforeSeq: string | null): Promise<StoredAuditEntry[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.clientId != null) add((p) => `client_id = ${p}`, filter.clientId);
  if (filter.role != null) add((p) => `role = ${p}`, filter.role);
  if (filter.subjectCode != null) add((p) => `subjects @> ARRAY[${p}::text]`, filter.subjectCode);
  if (filter.from != null) add((p) => `at >= ${p}::timestamptz`, filter.from);
  if (filter.to != null) add((p) => `at < ${p}::timestamptz`, filter.to);
  if (filter.outcome != null) add((p) => `outcome = ${p}`, filter.outcome);
  if (beforeSeq !== null) add((p) => `seq < ${p}::bigint`, beforeSeq);
  params.push(limit);
  return q.query<StoredAuditEntry>(
    `SELECT ${COLUMNS} FROM audit_entry ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY audit_entry.seq DESC LIMIT $${params.length}`,
    params,
  );
}

/**
 * Who looked at each of `codes`: per code, up to `limit` entries naming it,
 * newest first, before `beforeSeq` — one statement for the whole batch.
 */
export async function accessLogs(q: Queryable, codes: readonly string[], limit: number, beforeSeq: string | null): Promise<Map<string, StoredAuditEntry[]>> {
  const rows = await q.query<StoredAuditEntry & { code: string }>(
    `SELECT c.code, e.* FROM unnest($1::text[]) AS c(code)
       CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM audit_entry
                            WHERE subjects @> ARRAY[c.code] AND ($2::bigint IS NULL OR seq < $2)
                            ORDER BY audit_entry.seq DESC LIMIT $3) e`,
    [codes, beforeSeq, limit],
  );
  const byCode = new Map<string, StoredAuditEntry[]>(codes.map((code) => [code, []]));
  for (const { code, ...entry } of rows) byCode.get(code)?.push(entry);
  return byCode;
}
