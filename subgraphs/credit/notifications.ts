/**
 * The queue each department polls (甘州 五(一): 推送; 柴桑 (十七)): what the
 * credit office sent a department — a joint case assigned to it, a report
 * from the public routed to it, a commitment made to it breached by the
 * scheduled job, a rectification it ordered gone overdue. A notice is written
 * in the transaction of the decision it announces, once per (department,
 * kind, reference), so a retried decision never sends it twice and a
 * committed decision is never without it. A department's client reads its
 * own queue in order from the last id it saw (`after`), so a client that was
 * down misses nothing; the credit office reads any department's.
 */
import type { Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import { callerDepartment, forbidden, isCreditOffice } from './callers';
import { badUserInput } from '../../lib/errors';
import { isoTimestamp, requireDepartment, requirePageSize } from './workflows/common';
import type { Department } from './vocabulary';

export type NotificationKind = 'JOINT_CASE_ASSIGNED' | 'REPORT_ROUTED' | 'COMMITMENT_BREACHED' | 'RECTIFICATION_OVERDUE';

export interface DepartmentNotification {
  id: string;
  department: Department;
  kind: NotificationKind;
  /** What it is about: `joint_case/<id>`, `report/<id>`, `credit_commitment/<id>`, `rectification_order/<id>`. */
  reference: string;
  message: string;
  createdAt: string;
}

/** Queues a notice for `department` inside the caller's transaction; a second one for the same thing is not queued. */
export async function notify(tx: Queryable, department: Department, kind: NotificationKind, reference: string, message: string): Promise<void> {
  await tx.query(
    `INSERT INTO department_notification (department, kind, reference, message) VALUES ($1, $2, $3, $4)
     ON CONFLICT ON CONSTRAINT department_notification_once DO NOTHING`,
    [department, kind, reference, message],
  );
}

const MAX_BIGINT = 2n ** 63n - 1n;

/**
 * The last id a polling client saw, a non-negative integer as it sent it ("09" is 9, "0" the start of
 * the queue; one beyond every id answers nothing); anything else is refused, not answered with an
 * empty queue — a mistyped cursor looked like a department with nothing to do (甘州 五(一): 推送).
 */
function seenId(after: string): string {
  if (!/^\d{1,100}$/.test(after)) {
    throw badUserInput(`'after' must be the id of a notice (a non-negative integer), got '${after}'`, { reason: 'INVALID_CURSOR', field: 'after' });
  }
  const id = BigInt(after);
  return (id > MAX_BIGINT ? MAX_BIGINT : id).toString();
}

/**
 * A department's notices after `after` (an id it saw), oldest first: by the
 * bigint id (ordered by the `id::text` output column, "10" came before "9" and
 * a client polling with a cursor skipped notices).
 */
export async function departmentNotifications(
  q: Queryable,
  caller: ForwardedIdentity,
  args: { department?: string | null; after?: string | null; first: number },
): Promise<DepartmentNotification[]> {
  const first = requirePageSize(args.first);
  const own = callerDepartment(caller);
  const department = args.department ? requireDepartment(args.department) : own;
  if (!department) throw forbidden('departmentNotifications', 'NO_DEPARTMENT', 'this client acts for no department: it has no queue');
  if (department !== own && !isCreditOffice(caller)) {
    throw forbidden('departmentNotifications', 'OTHER_DEPARTMENT', `a ${own} client reads ${own}'s queue only, not ${department}'s`, { department: own });
  }
  const after = args.after === null || args.after === undefined ? null : seenId(args.after);
  return q.query<DepartmentNotification>(
    `SELECT id::text AS id, department, kind, reference, message, ${isoTimestamp('created_at')} AS "createdAt"
       FROM department_notification WHERE department = $1 AND ($2::bigint IS NULL OR id > $2::bigint) ORDER BY department_notification.id LIMIT $3`,
    [department, after, first],
  );
}

type Context = SubgraphContext<unknown>;

export const notificationResolvers: ResolverMap = {
  Query: {
    departmentNotifications: (_root: unknown, args: { department?: string | null; after?: string | null; first: number }, context: Context) =>
      departmentNotifications(context.db, context.caller, args),
  },
};
