/**
 * Credit repair (信用修复): after correcting its conduct (commitment,
 * rectification, training, report, public-interest service) a subject
 * applies to have a record repaired; once approved the record's publication
 * stops and the joint measures end (it triggers nothing any more, see
 * status.ts `inactiveRecords`, and its list entries end today).
 *
 *   PENDING → APPROVED | REJECTED   (a rejected record may be applied for again)
 *
 * Eligibility is the policy's (policy/repair.ts): a minimum period from the
 * record's publication (or breach). A record is repaired at most once, and
 * one application per record is pending at a time. A breached commitment
 * (CREDIT_OFFICE, `credit_commitment/<id>`) is repairable too: every
 * punishment has an exit.
 *
 * The record's kind, area and publication date are read from the department
 * that holds it when the application is made (records.ts) and recorded with
 * the application; what the applicant states of them must agree.
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import { requireSubjectCode } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { rowsBySubject } from '../../../lib/loaders';
import type { Department } from '../vocabulary';
import { boundRecord, recordIdOf, type RepairFacts } from '../records';
import { deliverRecordStatuses, departmentNotified, queueRecordStatus } from './record-status-outbox';
import { openObjectionOn } from './objections';
import { clientScope, readableWorkflowRows, requireActsFor, requireReadsWorkflowsOf } from '../callers';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { eligibleFrom, minimumMonths, REPAIR_AREAS, REPAIRABLE_RECORD_KINDS, type RepairableRecordKind, type RepairArea } from '../policy';

export { eligibleFrom, minimumMonths, REPAIR_AREAS, REPAIRABLE_RECORD_KINDS, type RepairableRecordKind, type RepairArea };
import {
  createOnce,
  endListEntries,
  endWorkflowsOnRecord,
  isoTimestamp,
  lockRecord,
  notFound,
  parseRowId,
  perRequest,
  refuse,
  requireDate,
  requireDepartment,
  requireIdempotencyKey,
  requireRecordId,
  recordLock,
  requireNotWithdrawn,
  requireText,
  uniqueViolation,
} from './common';

export const RECTIFICATION_STEPS = ['COMMITMENT', 'RECTIFICATION', 'TRAINING', 'REPORT', 'PUBLIC_SERVICE'] as const;
export type RectificationStep = (typeof RECTIFICATION_STEPS)[number];

export type RepairStatus = 'PENDING' | 'APPROVED' | 'REJECTED';

export interface RepairApplication {
  id: string;
  subjectCode: string;
  department: Department;
  recordId: string;
  recordKind: RepairableRecordKind;
  publishedOn: string;
  area: RepairArea;
  rectification: RectificationStep[];
  eligibleFrom: string;
  status: RepairStatus;
  appliedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  /** The subject the department holds the record under (as Objection.recordSubjectCode: a decision invalidates its cached answers too). */
  recordSubjectCode: string;
}

export interface ApplyForRepairInput {
  subjectCode: string;
  department: string;
  recordId: string;
  /** Optional: when given, must be the record's (the record decides). */
  recordKind?: string | null;
  publishedOn?: string | null;
  area?: string | null;
  rectification: string[];
  idempotencyKey: string;
}

export const REPAIR_FIELDS = `repair_application.id::text AS id, subject_code AS "subjectCode", department, record_id AS "recordId",
  record_kind AS "recordKind", published_on::text AS "publishedOn", area, rectification, eligible_from::text AS "eligibleFrom", status,
  ${isoTimestamp('applied_at')} AS "appliedAt", ${isoTimestamp('decided_at')} AS "decidedAt", decision_note AS "decisionNote",
  COALESCE(record_subject_code, subject_code) AS "recordSubjectCode"`;

export async function readRepairApplication(q: Queryable, id: string): Promise<RepairApplication | null> {
  const [row] = await q.query<RepairApplication>(`SELECT ${REPAIR_FIELDS} FROM repair_application WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

function oneOf<T extends string>(field: string, allowed: readonly T[], value: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw refuse('INVALID_INPUT', `'${field}' must be one of ${allowed.join(', ')}, got '${value}'`, { field });
  }
  return value as T;
}

/**
 * What the applicant states of the record, if anything, must be what the
 * department's record says (RECORD_MISMATCH otherwise): eligibility is read
 * from the record, never from the applicant.
 */
function requireStatedFacts(input: ApplyForRepairInput, facts: RepairFacts, recordId: string): void {
  const stated: [keyof RepairFacts, string | null | undefined][] = [
    ['kind', input.recordKind],
    ['publishedOn', input.publishedOn],
    ['area', input.area],
  ];
  for (const [fact, value] of stated) {
    if (value === null || value === undefined || value === facts[fact]) continue;
    const field = fact === 'kind' ? 'recordKind' : fact;
    throw refuse('RECORD_MISMATCH', `'${field}' is '${value}', but the department's record '${recordId}' says '${facts[fact]}'; repair is decided on the record`, {
      field,
      recordValue: facts[fact],
    });
  }
}

/**
 * Applies for repair (idempotent per key) of a record the department holds
 * of the subject (records.ts), with the kind, area and publication date of
 * that record. Refused, changing nothing: a record repair does not apply to
 * (NOT_REPAIRABLE), a stated fact that differs from the record
 * (RECORD_MISMATCH), before the record is eligible (NOT_ELIGIBLE_YET, saying
 * from when), when the record was already repaired or has a pending
 * application (INVALID_TRANSITION).
 */
export async function applyForRepair(
  db: Database,
  input: ApplyForRepairInput,
  caller: ForwardedIdentity,
  today: string = todayInChina(),
): Promise<RepairApplication> {
  requireActsFor(caller, requireDepartment(input.department), 'applyForRepair');
  return createRepairApplication(db, input, clientScope(caller), today);
}

/**
 * Stores an application for `client` (the scope of its idempotency key);
 * `onCreate` runs in the creating transaction (a subject's filing code is
 * spent there, filing-codes.ts).
 */
export async function createRepairApplication(
  db: Database,
  input: ApplyForRepairInput,
  client: string,
  today: string = todayInChina(),
  onCreate?: (tx: Queryable, id: string) => Promise<void>,
): Promise<RepairApplication> {
  const department = requireDepartment(input.department);
  if (input.recordKind != null) oneOf('recordKind', REPAIRABLE_RECORD_KINDS, input.recordKind);
  if (input.publishedOn != null) requireDate('publishedOn', input.publishedOn);
  if (input.area != null) oneOf('area', REPAIR_AREAS, input.area);
  if (input.rectification.length === 0) {
    throw refuse('INVALID_INPUT', `'rectification' must name what the subject did to correct its conduct`, { field: 'rectification' });
  }
  // The applicant's request; the record's facts are read from its department below.
  const subjectCode = requireSubjectCode(input.subjectCode);
  const request = {
    subjectCode,
    department,
    recordId: recordIdOf(requireRecordId(input.recordId), subjectCode),
    rectification: [...new Set(input.rectification.map((step) => oneOf('rectification', RECTIFICATION_STEPS, step)))],
  };
  const bound = await boundRecord(db, department, request.subjectCode, request.recordId, `applyForRepair ${request.recordId}`, today);
  if (!bound.repair) {
    throw refuse('NOT_REPAIRABLE', `record '${request.recordId}' of ${department} is not one credit repair applies to (${REPAIRABLE_RECORD_KINDS.join(', ')} under publication)`, {
      field: 'recordId',
    });
  }
  const facts = bound.repair;
  requireStatedFacts(input, facts, request.recordId);
  const payload = { ...request, recordKind: facts.kind, publishedOn: facts.publishedOn, area: facts.area };
  const from = eligibleFrom(payload.recordKind, payload.area, payload.publishedOn);
  const key = requireIdempotencyKey(input.idempotencyKey);
  const record = `${payload.department} ${payload.recordId}`;
  try {
    return await createOnce(db, {
      table: 'repair_application',
      mutation: 'applyForRepair',
      key,
      client,
      payload: request,
      // Applications for one record are made one at a time, and not while a decision on it is made.
      lock: recordLock(payload.department, payload.recordId),
      read: readRepairApplication,
      async create(tx, requestFingerprint) {
        if (today < from) {
          throw refuse(
            'NOT_ELIGIBLE_YET',
            `record ${record} published on ${payload.publishedOn} can be repaired from ${from} (${minimumMonths(payload.recordKind, payload.area)} months after publication), not before`,
            { eligibleFrom: from },
          );
        }
        // Repaired once (or revoked): nothing left to repair.
        await requireNotWithdrawn(tx, payload.department, payload.recordId, 'applyForRepair');
        const [pending] = await tx.query<{ id: string }>(
          `SELECT id::text AS id FROM repair_application WHERE department = $1 AND record_id = $2 AND status = 'PENDING'`,
          [payload.department, payload.recordId],
        );
        if (pending) {
          throw refuse('INVALID_TRANSITION', `record ${record} already has pending repair application ${pending.id}`, { repairId: pending.id });
        }
        const [row] = await tx.query<{ id: string }>(
          `INSERT INTO repair_application (idempotency_key, request_fingerprint, subject_code, department, record_id, record_kind,
                                           published_on, area, rectification, eligible_from, client_id, record_subject_code)
           VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9::text[], $10::date, $11, $12) RETURNING id::text AS id`,
          [key, requestFingerprint, payload.subjectCode, payload.department, payload.recordId, payload.recordKind, payload.publishedOn,
            payload.area, payload.rectification, from, client, bound.ownerCode],
        );
        await onCreate?.(tx, row!.id);
        return row!.id;
      },
    });
  } catch (error) {
    if (uniqueViolation(error) === 'repair_one_pending_idx') {
      throw refuse('INVALID_TRANSITION', `record ${record} already has a pending repair application`);
    }
    throw error;
  }
}

export interface DecideRepairInput {
  id: string;
  approve: boolean;
  note: string;
}

/**
 * Decides a pending application: approval ends the record's publication and
 * measures (its list entries end today), rejection keeps them. The same
 * decision sent again (a retry: same approval and note) answers the
 * application as decided and sends the department what it has not taken
 * yet; any other decision of an application no longer pending is refused
 * and changes nothing.
 */
export async function decideRepair(db: Database, input: DecideRepairInput, caller: ForwardedIdentity): Promise<RepairApplication> {
  const id = parseRowId(input.id);
  if (!id) throw notFound('repair application', input.id);
  // The department that published the record decides (a breached commitment: the credit office).
  const application = await readRepairApplication(db, id);
  if (!application) throw notFound('repair application', input.id);
  requireActsFor(caller, application.department, 'decideRepair');
  const note = requireText('note', input.note);
  const today = todayInChina();
  try {
    await db.transaction(async (tx) => {
      await lockRecord(tx, application.department, application.recordId);
      const [updated] = await tx.query<{ department: string; record_id: string; record_subject_code: string }>(
        `UPDATE repair_application SET status = $2, decision_note = $3, decided_at = now()
          WHERE id = $1::bigint AND status = 'PENDING'
          RETURNING department, record_id, COALESCE(record_subject_code, subject_code) AS record_subject_code`,
        [id, input.approve ? 'APPROVED' : 'REJECTED', note],
      );
      if (!updated) {
        const current = await readRepairApplication(tx, id);
        if (!current) throw notFound('repair application', input.id);
        if (current.status === (input.approve ? 'APPROVED' : 'REJECTED') && current.decisionNote === note) return;
        throw refuse('INVALID_TRANSITION', `repair application ${id} is ${current.status}, not PENDING: it was already decided`, {
          status: current.status,
        });
      }
      if (input.approve) {
        // A record revoked meanwhile (an upheld objection) is not repaired: no repair notice of a revoked record.
        await requireNotWithdrawn(tx, updated.department, updated.record_id, 'decideRepair', `repair/${id}`);
        // Nor one whose objection is being verified: were it upheld, the record would be revoked as wrong, and a
        // repair notice would have published it as a dishonest act repaired (found by a black-box review). The
        // objection is decided first (柴桑 (二十一) before (二十)); a rejection can be decided any time.
        const objection = await openObjectionOn(tx, updated.department, updated.record_id);
        if (objection) {
          throw refuse('RECORD_DISPUTED', `decideRepair: record ${updated.department} ${updated.record_id} is disputed by open objection ${objection}; verify the objection before approving its repair`, {
            objectionId: objection,
          });
        }
        // Publication ends at once (柴桑 (二十)): the lists, and the department's own disclosure once this commits
        // (record-status-outbox.ts); the repair notice is published instead (disclosure.ts).
        const reference = `repair/${id}`;
        await endListEntries(tx, updated.department, updated.record_id, today, { reason: 'REPAIRED', reference });
        // Its open rectification orders and joint cases end with it (common.ts endWorkflowsOnRecord).
        await endWorkflowsOnRecord(tx, updated.department, updated.record_id, today, { reason: 'REPAIRED', reference });
        await queueRecordStatus(tx, updated.department as Department, { recordId: updated.record_id, subjectCode: updated.record_subject_code, change: 'WITHDRAWN', on: today, withdrawal: 'REPAIRED', reference });
      }
    });
    await deliverRecordStatuses(db, [application.department]);
  } catch (error) {
    if (uniqueViolation(error) === 'repair_one_approved_idx') {
      throw refuse('INVALID_TRANSITION', `the record of repair application ${id} was already repaired; a record is repaired once`);
    }
    throw error;
  }
  return (await readRepairApplication(db, id))!;
}

const repairsOfSubject = perRequest((db) =>
  rowsBySubject<RepairApplication>(
    db,
    `SELECT subject_code, ${REPAIR_FIELDS} FROM repair_application WHERE subject_code = ANY($1::text[]) ORDER BY repair_application.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const repairResolvers: ResolverMap = {
  Query: {
    // As objections: a department reads the applications for its own records, the credit office every one.
    repairApplication: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      const application = id ? await readRepairApplication(context.db, id) : null;
      if (application) requireReadsWorkflowsOf(context.caller, application.department, 'repairApplication');
      return application;
    },
  },
  Mutation: {
    applyForRepair: (_root: unknown, args: { input: ApplyForRepairInput }, context: Context) => applyForRepair(context.db, args.input, context.caller),
    decideRepair: (_root: unknown, args: DecideRepairInput, context: Context) => decideRepair(context.db, args, context.caller),
  },
  RepairApplication: {
    departmentNotified: (application: RepairApplication, _args: unknown, context: Context) => departmentNotified(context).load(`repair/${application.id}`),
  },
  Subject: {
    repairApplications: async (subject: { code: string }, _args: unknown, context: Context) =>
      readableWorkflowRows(context.caller, await repairsOfSubject(context).load(subject.code)),
  },
};
