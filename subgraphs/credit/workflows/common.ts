/**
 * What the credit office's workflows share: the refusals they answer with
 * (BAD_USER_INPUT with an `extensions.reason`), input checks, idempotent
 * creation, paging cursors and per-request loaders.
 */
import crypto from 'node:crypto';
import DataLoader from 'dataloader';
import type { GraphQLError } from 'graphql';
import type { Database, Queryable } from '../../../lib/db';
import { isCalendarDate } from '../../../lib/clock';
import { badUserInput } from '../../../lib/errors';
import { DEPARTMENTS, type Department } from '../vocabulary';
import type { Withdrawal } from '../../../lib/record-status';
import { disputedRecords } from './status';

/** Why a workflow request was refused (`extensions.reason`). */
export type WorkflowRefusal =
  | 'INVALID_TRANSITION'
  | 'NOT_ELIGIBLE_YET'
  | 'IDEMPOTENCY_CONFLICT'
  | 'NOT_FOUND'
  | 'MEASURE_NOT_APPLIED'
  | 'INVALID_INPUT'
  /** What the caller states of a record differs from the department's record. */
  | 'RECORD_MISMATCH'
  /** Credit repair does not apply to this kind of record. */
  | 'NOT_REPAIRABLE'
  /** The department holds no such record of the subject (records.ts). */
  | 'RECORD_NOT_FOUND'
  /** The record was revoked or corrected after an upheld objection, or repaired: withdrawn, nothing more to act on. */
  | 'RECORD_WITHDRAWN'
  /** An objection to the record is open: its punishments are suspended while the department verifies. */
  | 'RECORD_DISPUTED'
  /** The record determines nothing today (removed, performed, expired): no measure stands on it. */
  | 'RECORD_NOT_IN_FORCE'
  /** A credit check's 容缺受理 already backs a commitment. */
  | 'CHECK_ALREADY_USED'
  /** The record already has an open joint case or rectification order of that department. */
  | 'ALREADY_OPEN';

export function refuse(reason: WorkflowRefusal, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return badUserInput(message, { ...extra, reason });
}

// ---------------------------------------------------------------- input

const MAX_TEXT = 4000;

/** A required, non-blank text of at most `max` characters, trimmed. */
export function requireText(field: string, value: string, max = MAX_TEXT): string {
  const text = value.trim();
  if (text.length === 0) throw refuse('INVALID_INPUT', `'${field}' must not be empty`, { field });
  if (text.length > max) throw refuse('INVALID_INPUT', `'${field}' is longer than ${max} characters`, { field });
  return text;
}

export function optionalText(field: string, value: string | null | undefined, max = MAX_TEXT): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(field, value, max);
}

export function requireIdempotencyKey(value: string): string {
  return requireText('idempotencyKey', value, 200);
}

export function requireDepartment(value: string): Department {
  if (!(DEPARTMENTS as readonly string[]).includes(value)) {
    throw refuse('INVALID_INPUT', `unknown department '${value}'`, { field: 'department' });
  }
  return value as Department;
}

/** A department's record id, `<table>/<natural key>` (the form of list_entry.source_record). */
const RECORD_ID = /^[a-z][a-z0-9_]*\/\S/;

export function requireRecordId(value: string): string {
  const recordId = requireText('recordId', value, 500);
  if (!RECORD_ID.test(recordId)) {
    throw refuse('INVALID_INPUT', `'recordId' must be '<table>/<natural key>' as the department publishes it, got '${recordId}'`, {
      field: 'recordId',
    });
  }
  return recordId;
}


/** A calendar date YYYY-MM-DD that exists. */
export function requireDate(field: string, value: string): string {
  if (!isCalendarDate(value)) {
    throw refuse('INVALID_INPUT', `'${field}' must be a date YYYY-MM-DD, got '${value}'`, { field });
  }
  return value;
}

/**
 * Workflow rows are numbered by the credit office (bigserial). An id that
 * could not be one is reported as not found, never handed to the database.
 */
export function parseRowId(id: string): string | null {
  return /^[1-9]\d{0,17}$/.test(id) ? id : null;
}

export function notFound(kind: string, id: string): GraphQLError {
  return refuse('NOT_FOUND', `no ${kind} with id '${id}'`, { id });
}

/** The row a mutation names by its id, read with `read`: NOT_FOUND for an id that is malformed or names nothing. */
export async function requireRow<T>(kind: string, id: string, read: (rowId: string) => Promise<T | null | undefined>): Promise<T> {
  const rowId = parseRowId(id);
  const row = rowId ? await read(rowId) : null;
  if (!row) throw notFound(kind, id);
  return row;
}

/** An ISO-8601 UTC timestamp of a timestamptz column, the same text on both engines. */
export const isoTimestamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// ---------------------------------------------------------------- idempotent creation

/** A stable digest of a normalised payload (keys sorted), to tell a retry from a different request. */
export function fingerprint(payload: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(payload)
      .sort()
      .map((key) => [key, payload[key] ?? null]),
  );
  return crypto.createHash('sha256').update(canonical).digest('hex');
}

interface DatabaseError {
  code?: string;
  constraint?: string;
}

export function uniqueViolation(error: unknown): string | null {
  const e = error as DatabaseError;
  return e && e.code === '23505' ? (e.constraint ?? '') : null;
}

export interface IdempotentCreate<T> {
  /** Table whose `idempotency_key` and `request_fingerprint` columns record the request. */
  table: string;
  /** Name of the request in messages, e.g. 'fileObjection'. */
  mutation: string;
  key: string;
  /**
   * Whose key it is (callers.ts clientScope): keys are unique per client, so
   * one client's key never answers another's request. `create` stores it in
   * `clientColumn` (default client_id).
   */
  client: string;
  clientColumn?: string;
  payload: Record<string, unknown>;
  /**
   * Serialises requests that could conflict (a transaction-scoped advisory
   * lock), taken before the key is looked up, so a retry racing its original
   * finds the original's row instead of tripping over its effects.
   */
  lock?: string;
  /** Reads a created row by id. */
  read(q: Queryable, id: string): Promise<T | null>;
  /**
   * Validates and inserts within the transaction, returning the new row's
   * id; it receives the fingerprint to store. Throwing rolls everything back.
   */
  create(tx: Queryable, requestFingerprint: string): Promise<string>;
}

/**
 * Runs a creating mutation exactly once per client and idempotency key: the first call
 * creates the row; a retry with the same key and payload returns that row
 * (also when the two calls race: the loser's insert fails on the key and it
 * reads the winner's row); the same key with another payload is refused
 * with IDEMPOTENCY_CONFLICT.
 */
export async function createOnce<T>(db: Database, spec: IdempotentCreate<T>): Promise<T> {
  const requestFingerprint = fingerprint(spec.payload);
  const previous = async (q: Queryable): Promise<T | null> => {
    const [row] = await q.query<{ id: string; request_fingerprint: string }>(
      `SELECT id::text AS id, request_fingerprint FROM ${spec.table} WHERE idempotency_key = $1 AND ${spec.clientColumn ?? 'client_id'} = $2`,
      [spec.key, spec.client],
    );
    if (!row) return null;
    if (row.request_fingerprint !== requestFingerprint) {
      throw refuse(
        'IDEMPOTENCY_CONFLICT',
        `idempotencyKey '${spec.key}' was already used by ${spec.mutation} with a different request; use a new key for a new request`,
        { idempotencyKey: spec.key },
      );
    }
    return spec.read(q, row.id);
  };
  try {
    const outcome = await db.transaction(async (tx): Promise<{ existing: T } | { created: string }> => {
      if (spec.lock !== undefined) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [spec.lock]);
      const existing = await previous(tx);
      if (existing) return { existing };
      return { created: await spec.create(tx, requestFingerprint) };
    });
    if ('existing' in outcome) return outcome.existing;
    const row = await spec.read(db, outcome.created);
    if (!row) throw new Error(`${spec.table} ${outcome.created} vanished after it was created`);
    return row;
  } catch (error) {
    if (uniqueViolation(error) === `${spec.table}_idempotency_key`) {
      const existing = await previous(db);
      if (existing) return existing;
    }
    throw error;
  }
}

// ---------------------------------------------------------------- transitions retried

/**
 * Whether a transition sent again repeats the one recorded — a retry, answered with the recorded
 * object (one mutation, one answer: a client that lost the answer asks again), as verifyObjection and
 * decideRepair do; any other transition of an object no longer in its starting state is refused
 * (INVALID_TRANSITION). Each argument given must equal what was recorded; one left out (undefined:
 * a date that defaults to today) matches what the first call recorded.
 */
export function repeatsTransition<T extends object>(recorded: T, given: { [K in keyof T]?: T[K] | undefined }): boolean {
  return (Object.keys(given) as (keyof T)[]).every((name) => given[name] === undefined || (recorded[name] ?? null) === (given[name] ?? null));
}

// ---------------------------------------------------------------- one record at a time

/**
 * The lock every workflow write on one record takes (a transaction-scoped
 * advisory lock): filings, repair applications, joint cases and decisions on
 * a record happen one after the other, so a check of what was decided about
 * the record holds until the write commits.
 */
export const recordLock = (department: string, recordId: string): string => `record:${department}:${recordId}`;

export async function lockRecord(tx: Queryable, department: string, recordId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [recordLock(department, recordId)]);
}

/**
 * Refuses (RECORD_WITHDRAWN) a record the workflows withdrew: revoked or
 * corrected after an upheld objection, or repaired. It left disclosure and
 * triggers nothing; objecting to it, repairing it again or opening a joint
 * case on it would act on a decision already made (and re-publish a repair
 * notice of a revoked record). `except`: the decision being made now.
 */
export async function requireNotWithdrawn(tx: Queryable, department: string, recordId: string, mutation: string, except?: string): Promise<void> {
  const [withdrawn] = await tx.query<{ reference: string; withdrawal: Withdrawal }>(
    `SELECT reference, withdrawal FROM (
       SELECT 'objection/' || id AS reference, correction AS withdrawal FROM objection WHERE department = $1 AND record_id = $2 AND status = 'UPHELD'
       UNION ALL
       SELECT 'repair/' || id, 'REPAIRED' FROM repair_application WHERE department = $1 AND record_id = $2 AND status = 'APPROVED') decided
      WHERE reference IS DISTINCT FROM $3
      LIMIT 1`,
    [department, recordId, except ?? null],
  );
  if (!withdrawn) return;
  const how = { REVOKED: 'revoked after an upheld objection', CORRECTED: 'corrected after an upheld objection', REPAIRED: 'repaired' }[withdrawn.withdrawal];
  throw refuse('RECORD_WITHDRAWN', `${mutation}: record ${department} ${recordId} was ${how} (${withdrawn.reference}); it is withdrawn from disclosure and triggers nothing`, {
    field: 'recordId',
    withdrawal: withdrawn.withdrawal,
    reference: withdrawn.reference,
  });
}

/**
 * Refuses a record a new measure on the subject would stand on (a joint case,
 * a rectification order) unless it is a determination in force today: not
 * withdrawn by the workflows (requireNotWithdrawn), not under an open
 * objection (RECORD_DISPUTED: 柴桑 (二十一), punishments suspended while the
 * department verifies), and triggering something now (RECORD_NOT_IN_FORCE:
 * a removed, performed or expired record). Called under the record's lock.
 */
export async function requireRecordInForce(tx: Queryable, record: { department: Department; recordId: string; triggers: readonly string[] }, mutation: string): Promise<void> {
  await requireNotWithdrawn(tx, record.department, record.recordId, mutation);
  if ((await disputedRecords(tx, [{ department: record.department, recordId: record.recordId }])).size > 0) {
    throw refuse('RECORD_DISPUTED', `${mutation}: record ${record.department} ${record.recordId} is disputed by an open objection; its measures are suspended until the department has verified it`, {
      field: 'recordId',
    });
  }
  if (record.triggers.length === 0) {
    throw refuse('RECORD_NOT_IN_FORCE', `${mutation}: record ${record.department} ${record.recordId} determines nothing today (removed, performed or expired)`, { field: 'recordId' });
  }
}

// ---------------------------------------------------------------- list entries

/**
 * Ends, on `today`, the list entries that stand on a record (the credit
 * office stops using it), and withdraws them from public disclosure with the
 * decision (`withdrawal`, `reference`: objection/<id> or repair/<id>): a
 * revoked, corrected or repaired record's entry is never shown publicly as a
 * past entry. An entry that has not started yet ends the day it would have
 * started, so it is never in force.
 */
export async function endListEntries(
  tx: Queryable,
  department: string,
  recordId: string,
  today: string,
  withdrawal: { reason: Withdrawal; reference: string },
): Promise<number> {
  const rows = await tx.query(
    `UPDATE list_entry SET until = CASE WHEN until IS NULL OR until > $3::date THEN GREATEST(since, $3::date) ELSE until END,
                           withdrawal = COALESCE(withdrawal, $4), withdrawal_reference = COALESCE(withdrawal_reference, $5)
      WHERE department = $1 AND source_record = $2
      RETURNING id`,
    [department, recordId, today, withdrawal.reason, withdrawal.reference],
  );
  return rows.length;
}

/** The rectification order a credit-office record id names (`rectification_order/<id>`: the record its key-attention entry stands on), or null. */
export const rectificationOrderIdOf = (department: string, recordId: string): string | null =>
  department === 'CREDIT_OFFICE' ? (/^rectification_order\/([1-9]\d{0,17})$/.exec(recordId)?.[1] ?? null) : null;

/**
 * Ends, on `today`, what the workflows built on a record they now withdraw
 * (revoked or corrected after an upheld objection, or repaired): the
 * rectification orders still open on it — and the order itself when the
 * record is one, `rectification_order/<id>` — become WITHDRAWN with the
 * decision's reference, their key-attention entries end and leave disclosure
 * as the record's do (endListEntries), and its joint cases are closed
 * (WITHDRAWN in every inbox, no feedback, not counted). A measure never
 * outlives the determination it stood on (DESIGN.md «Decisions»: "Every
 * punishment has an exit ... and the check follows at once"; 凌源 三(五):
 * 谁认定 — no determination, nothing to rectify). In the decision's transaction.
 */
export async function endWorkflowsOnRecord(
  tx: Queryable,
  department: string,
  recordId: string,
  today: string,
  withdrawal: { reason: Withdrawal; reference: string },
): Promise<void> {
  const orders = await tx.query<{ id: string }>(
    `UPDATE rectification_order SET status = 'WITHDRAWN', withdrawn_on = $3::date, withdrawal_reference = $4
      WHERE status = 'ORDERED' AND ((department = $1 AND record_id = $2) OR id = $5::bigint)
      RETURNING id::text AS id`,
    [department, recordId, today, withdrawal.reference, rectificationOrderIdOf(department, recordId)],
  );
  for (const order of orders) await endListEntries(tx, 'CREDIT_OFFICE', `rectification_order/${order.id}`, today, withdrawal);
  await tx.query(
    `UPDATE joint_case SET withdrawn_on = $3::date, withdrawal_reference = $4 WHERE initiating_department = $1 AND record_id = $2 AND withdrawn_on IS NULL`,
    [department, recordId, today, withdrawal.reference],
  );
}

// ---------------------------------------------------------------- paging

export const MAX_WORKFLOW_PAGE = 100;

export function requirePageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_WORKFLOW_PAGE) {
    throw badUserInput(`'first' must be between 1 and ${MAX_WORKFLOW_PAGE}, got ${first}`);
  }
  return first;
}

/** Cursors over a bigserial id: `<prefix>:<id>`, base64url. */
export function encodeIdCursor(prefix: string, id: string): string {
  return Buffer.from(`${prefix}:${id}`).toString('base64url');
}

export function decodeIdCursor(prefix: string, cursor: string, query: string): string {
  const match = new RegExp(`^${prefix}:(\\d{1,18})$`).exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badUserInput(`'after' is not a cursor returned by ${query}: ${cursor}`, { input: cursor });
  return match[1]!;
}

/** A page of `first` nodes from `rows` read with one row more than the page (`first + 1`), which says whether more follow. */
export function idPage<R extends { id: string }>(prefix: string, rows: readonly R[], first: number): { nodes: R[]; endCursor: string | null; hasNextPage: boolean } {
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeIdCursor(prefix, last.id) : null, hasNextPage: rows.length > first };
}

// ---------------------------------------------------------------- per-request loaders

/**
 * The conditions of a filtered list and their parameters, numbered after `params` (a list's own
 * first parameters, such as its limit): `param` adds a value and names its placeholder, `where` is the
 * clause, empty when nothing filters.
 */
export function sqlFilter(params: unknown[]): { params: unknown[]; conditions: string[]; param: (value: unknown) => string; where: () => string } {
  const conditions: string[] = [];
  return {
    params,
    conditions,
    param: (value) => {
      params.push(value);
      return `$${params.length}`;
    },
    where: () => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''),
  };
}

/**
 * A loader that lives as long as one request's context object, for the
 * workflow fields of `Subject`: however many subjects a request resolves,
 * each table is read once.
 */
export function perRequest<K, V>(create: (db: Queryable) => DataLoader<K, V>): (context: { db: Queryable }) => DataLoader<K, V> {
  const loaders = new WeakMap<object, DataLoader<K, V>>();
  return (context) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = create(context.db);
      loaders.set(context, loader);
    }
    return loader;
  };
}
