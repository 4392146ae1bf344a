/**
 * How the credit office's decisions reach the departments' own disclosure
 * (lib/record-status.ts: a dispute mark, its removal, a withdrawal), without
 * a crash window. A decision (filing, verifying an objection, approving a
 * repair) queues its change in the decision's own transaction and commits;
 * only then is the change delivered to the department:
 *
 *   - at once, by the request that decided it (so the answer, and the
 *     gateway's invalidation after it, come after the department applied it);
 *   - again by any later decision for that department, and by a retry of the
 *     same decision;
 *   - when the credit office starts, and every DELIVERY_INTERVAL_MS while
 *     changes are pending (announced to the gateways' caches through Redis).
 *
 * So the department never shows a decision the credit office did not commit,
 * and a committed one reaches it even if the process dies right after the
 * commit. The verdict and the credit office's lists follow the committed
 * decision at once (workflows/status.ts, list_entry); only the department's
 * profile waits for the delivery. Each change is idempotent at the department
 * and the changes of one department are delivered one at a time in the order
 * they were decided (row locks), so a redelivery never puts an older change
 * over a newer one.
 */
import DataLoader from 'dataloader';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Database, Queryable } from '../../../lib/db';
import type { RecordStatusChange } from '../../../lib/record-status';
import { RECORD_DEPARTMENTS } from '../../../lib/auth/roles';
import { publishInvalidation } from '../../../lib/invalidation';
import { sendRecordStatus, type RecordDepartment } from '../departments';
import type { Department } from '../vocabulary';
import { perRequest } from './common';

/** How often pending changes are sent again while a department does not take them. */
export const DELIVERY_INTERVAL_MS = 15_000;

/** Queues a decision's change for the record's department, in the decision's transaction (the credit office's own records have no department). */
export async function queueRecordStatus(tx: Queryable, department: Department, change: RecordStatusChange): Promise<void> {
  if (department === 'CREDIT_OFFICE') return;
  await tx.query(`INSERT INTO record_status_outbox (department, subject_code, reference, change) VALUES ($1, $2, $3, $4::jsonb)`, [
    department,
    change.subjectCode,
    change.reference,
    JSON.stringify(change),
  ]);
}

export interface Delivery {
  /** Subjects whose department records changed: their cached answers are stale. */
  delivered: string[];
  /** Changes still waiting for a department that did not take them. */
  pending: number;
  /** Departments whose delivery could not run at all (their changes stay pending). */
  failed: { department: RecordDepartment; error: Error }[];
}

/** Delivers one department's pending changes in order, stopping at the first it does not take. */
async function deliverTo(db: Database, department: RecordDepartment, into: Delivery): Promise<void> {
  await db.transaction(async (tx) => {
    // Locked in the order decided (the bigint id: its text would sort 10 before 9); a concurrent delivery to this
    // department waits, then finds these delivered.
    const rows = await tx.query<{ id: string; change: RecordStatusChange }>(
      `SELECT id::text AS id, change FROM record_status_outbox WHERE department = $1 AND delivered_at IS NULL ORDER BY record_status_outbox.id FOR UPDATE`,
      [department],
    );
    for (const [at, row] of rows.entries()) {
      try {
        await sendRecordStatus(department, row.change);
      } catch (error) {
        await tx.query(`UPDATE record_status_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1::bigint`, [row.id, (error as Error).message.slice(0, 500)]);
        into.pending += rows.length - at;
        return;
      }
      await tx.query(`UPDATE record_status_outbox SET delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1::bigint`, [row.id]);
      into.delivered.push(row.change.subjectCode);
    }
  });
}

/** Delivers the pending changes of `departments` (default every department), each department's in order. */
export async function deliverRecordStatuses(db: Database, departments: readonly Department[] = RECORD_DEPARTMENTS): Promise<Delivery> {
  const delivery: Delivery = { delivered: [], pending: 0, failed: [] };
  const targets = [...new Set(departments)].filter((d): d is RecordDepartment => d !== 'CREDIT_OFFICE');
  // A department whose delivery failed outright (its database transaction) keeps its changes pending, for the next delivery.
  const outcomes = await Promise.allSettled(targets.map((department) => deliverTo(db, department, delivery)));
  delivery.failed = outcomes.flatMap((outcome, at) => (outcome.status === 'rejected' ? [{ department: targets[at]!, error: outcome.reason as Error }] : []));
  return delivery;
}

/** Which of the decisions (`objection/<id>`, `repair/<id>`) the department has applied: none of their changes pending. One statement per request. */
export const departmentNotified = perRequest(
  (db) =>
    new DataLoader<string, boolean>(async (references) => {
      const pending = await db.query<{ reference: string }>(
        `SELECT DISTINCT reference FROM record_status_outbox WHERE reference = ANY($1::text[]) AND delivered_at IS NULL`,
        [references],
      );
      const waiting = new Set(pending.map((row) => row.reference));
      return references.map((reference) => !waiting.has(reference));
    }),
);

/**
 * Delivers what is pending when the credit office starts and every
 * DELIVERY_INTERVAL_MS after, until it closes; what reached a department
 * is announced to the gateways' caches (through Redis, when configured: a
 * gateway's in-process cache keeps such an answer for at most its TTL).
 */
export function recordStatusDelivery(app: FastifyInstance, db: Database, log: FastifyBaseLogger = app.log): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= (async () => {
      try {
        const [waiting] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM record_status_outbox WHERE delivered_at IS NULL');
        if (!waiting?.n) return;
        const { delivered, pending, failed } = await deliverRecordStatuses(db);
        for (const { department, error } of failed) log.error({ err: error, department }, 'delivering record statuses failed; sent again later');
        if (delivered.length > 0) await publishInvalidation(delivered);
        if (pending > 0) log.warn({ pending, delivered: delivered.length }, 'record statuses still waiting for their departments; sent again later');
        else log.info({ delivered: delivered.length }, 'pending record statuses delivered to their departments');
      } catch (error) {
        log.error({ err: error }, 'delivering record statuses failed; sent again later');
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  app.addHook('onReady', async () => {
    void run();
    timer = setInterval(() => void run(), DELIVERY_INTERVAL_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
