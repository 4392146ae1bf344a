/**
 * Credit commitments (信用承诺, 凌源 一(一), 二(一)): a subject applying for a
 * service commits to the conditions it could not yet prove. A reported breach
 * puts it on the black list: a list entry of kind BLACK by the CREDIT_OFFICE
 * standing on the record `credit_commitment/<id>`, for the period of the list
 * rule (policy/lists.ts) from the day the breach is reported. Every
 * punishment has an exit: the entry ends by that period, by an approved
 * repair of the record or an upheld objection to it, and the check follows
 * the entry (checks/decide.ts).
 *
 * A commitment carries the application it was made for and the deadline by
 * which it is fulfilled; one that obtained 容缺受理 (the credit check that
 * applied I_ACCEPT_WITH_MISSING_DOCUMENTS to the subject) and is not fulfilled
 * by its deadline is breached by the scheduled job (policy/commitments.ts,
 * jobs.ts). Commitments are public (信用承诺公示: commitmentPublicity).
 *
 *   KEPT → FULFILLED   (the department confirms it was fulfilled)
 *   KEPT → BREACHED    (reported, or by the job after the deadline; once)
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { callerDepartment, clientScope, isCreditOffice, requireActsFor } from '../callers';
import { departmentRecords } from '../departments';

/**
 * Whether a department's answer holds anything of the subject itself (a registration, any record) — not
 * merely the entities a person represents (found by a second black-box review: market supervision, which
 * names every company's representative, could record a commitment of any such person and breach it).
 */
const holdsAnyRecord = (records: object): boolean =>
  Object.entries(records).some(([field, value]) => field !== 'representedEntities' && (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined));
import { badUserInput, requireSubjectCode } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { rowsBySubject } from '../../../lib/loaders';
import { SCENARIOS, type Department, type Scenario } from '../vocabulary';
import { automaticBreachDate, breachedByDates, commitmentBreachPeriod, commitmentDatesRefusal, earliestBreachReport, MAX_BACKDATED_DAYS, MAX_COMMITMENT_MONTHS, MISSING_DOCUMENTS_MEASURE } from '../policy';
import { notify } from '../notifications';
import { parseCheckId } from './feedback';
import {
  createOnce,
  isoTimestamp,
  notFound,
  parseRowId,
  perRequest,
  refuse,
  requireDate,
  requireDepartment,
  requireIdempotencyKey,
  requirePageSize,
  requireText,
  requireRow,
  optionalText,
  encodeIdCursor,
  decodeIdCursor,
  repeatsTransition,
} from './common';

export type CommitmentStatus = 'KEPT' | 'FULFILLED' | 'BREACHED';

export interface Commitment {
  id: string;
  subjectCode: string;
  scenario: Scenario;
  content: string;
  madeOn: string;
  recordedAt: string;
  status: CommitmentStatus;
  breachedOn: string | null;
  breachReportedBy: Department | null;
  breachNote: string | null;
  /** The department the commitment was made to. */
  madeTo: Department;
  /** The application (licence application number, …) it was made for. */
  application: string | null;
  /** The last day to fulfil it. */
  deadline: string | null;
  /** The credit check whose 容缺受理 it obtained; null: it obtained none. */
  checkId: string | null;
  obtainedMissingDocuments: boolean;
  fulfilledOn: string | null;
  fulfilmentNote: string | null;
  /** Breached by the scheduled job after the deadline, rather than reported. */
  breachAutomatic: boolean;
}

export interface RecordCommitmentInput {
  /** The department the commitment is made to (whose service it obtains); the caller's own department when omitted. */
  department?: string | null;
  subjectCode: string;
  scenario: string;
  content: string;
  madeOn?: string | null;
  application?: string | null;
  deadline?: string | null;
  checkId?: string | null;
  idempotencyKey: string;
}

/** The record a breach's black-list entry stands on. */
export const commitmentRecordId = (id: string) => `credit_commitment/${id}`;

const COMMITMENT_FIELDS = `credit_commitment.id::text AS id, subject_code AS "subjectCode", scenario, content, made_on::text AS "madeOn",
  ${isoTimestamp('recorded_at')} AS "recordedAt", status, breached_on::text AS "breachedOn", breach_department AS "breachReportedBy",
  breach_note AS "breachNote", COALESCE(made_to, 'CREDIT_OFFICE') AS "madeTo", application, deadline::text AS deadline,
  check_id::text AS "checkId", check_id IS NOT NULL AS "obtainedMissingDocuments", fulfilled_on::text AS "fulfilledOn",
  fulfilment_note AS "fulfilmentNote", breach_automatic AS "breachAutomatic"`;

export async function readCommitment(q: Queryable, id: string): Promise<Commitment | null> {
  const [row] = await q.query<Commitment>(`SELECT ${COMMITMENT_FIELDS} FROM credit_commitment WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

const refuseCheck = (checkId: string): never => {
  throw refuse('NOT_FOUND', `no credit check with id '${checkId}'`, { field: 'checkId' });
};

/**
 * A commitment that obtained 容缺受理 names the check that granted it: a
 * check of this subject that applied I_ACCEPT_WITH_MISSING_DOCUMENTS (not a
 * check of someone else, nor one that granted nothing), with a deadline.
 * Returns the day the check was made (China).
 */
async function requireMissingDocumentsGranted(q: Queryable, checkId: string, subjectCode: string, scenario: string, deadline: string | null): Promise<string> {
  if (!deadline) throw refuse('INVALID_INPUT', `a commitment that obtained 容缺受理 (checkId) needs the 'deadline' by which the missing documents are supplied`, { field: 'deadline' });
  const [check] = await q.query<{ subject_code: string; scenario: string; granted: boolean; checked_on: string }>(
    `SELECT c.subject_code, c.scenario, (c.requested_at AT TIME ZONE 'Asia/Shanghai')::date::text AS checked_on, EXISTS (SELECT 1 FROM applied_measure m WHERE m.check_id = c.check_id AND m.measure_code = $2 AND NOT m.suspended) AS granted
       FROM credit_check c WHERE c.check_id = $1::uuid`,
    [checkId, MISSING_DOCUMENTS_MEASURE],
  );
  if (!check) refuseCheck(checkId);
  if (check!.subject_code !== subjectCode) {
    throw refuse('RECORD_MISMATCH', `credit check ${checkId} is not a check of subject ${subjectCode}`, { field: 'checkId' });
  }
  // 容缺受理 is granted for the service checked: a licensing check's grant backs no bid (凌源 一(一): a commitment for that application).
  if (check!.scenario !== scenario) {
    throw refuse('RECORD_MISMATCH', `credit check ${checkId} was a ${check!.scenario} check, not ${scenario}: its 容缺受理 backs a commitment of that scenario only`, { field: 'checkId' });
  }
  if (!check!.granted) {
    throw refuse('MEASURE_NOT_APPLIED', `credit check ${checkId} did not grant 容缺受理 (${MISSING_DOCUMENTS_MEASURE}): the commitment obtained none`, { field: 'checkId' });
  }
  return check!.checked_on;
}

/** Records a commitment (idempotent per key), made on `madeOn` or today. */
export async function recordCommitment(
  db: Database,
  input: RecordCommitmentInput,
  caller: ForwardedIdentity,
  today: string = todayInChina(),
): Promise<Commitment> {
  if (!(SCENARIOS as readonly string[]).includes(input.scenario)) {
    throw refuse('INVALID_INPUT', `unknown scenario '${input.scenario}'`, { field: 'scenario' });
  }
  const madeOn = input.madeOn ? requireDate('madeOn', input.madeOn) : null;
  // The payload as given (madeOn absent stays absent), so a retry on a later day is still the same request.
  const payload = {
    subjectCode: requireSubjectCode(input.subjectCode),
    scenario: input.scenario,
    content: requireText('content', input.content),
    madeOn,
    madeTo: input.department ? requireDepartment(input.department) : (callerDepartment(caller) ?? 'CREDIT_OFFICE'),
    application: optionalText('application', input.application, 200),
    deadline: input.deadline ? requireDate('deadline', input.deadline) : null,
    checkId: input.checkId ? parseCheckId(input.checkId) ?? refuseCheck(input.checkId) : null,
  };
  const checkedOn = payload.checkId ? await requireMissingDocumentsGranted(db, payload.checkId, payload.subjectCode, payload.scenario, payload.deadline) : null;
  // Made neither in the future nor before the check it backs nor more than MAX_BACKDATED_DAYS back, its deadline not passed and within the policy's bound (policy/commitments.ts).
  const dates = commitmentDatesRefusal({ checkedOn, madeOn: madeOn ?? today, deadline: payload.deadline }, today);
  if (dates) {
    const why = {
      SINCE_IN_FUTURE: `'madeOn' ${madeOn} is in the future`,
      SINCE_BEFORE_RECORD: `'madeOn' ${madeOn} is before the credit check ${payload.checkId} (${checkedOn}) whose 容缺受理 it backs`,
      SINCE_TOO_EARLY: `'madeOn' ${madeOn} is more than ${MAX_BACKDATED_DAYS} days ago: a commitment is recorded when it is made`,
      DEADLINE_BEFORE_START: `'deadline' ${payload.deadline} is before the commitment was made (${madeOn ?? today})`,
      DEADLINE_PASSED: `'deadline' ${payload.deadline} has already passed: the commitment would be due as it is recorded`,
      DEADLINE_TOO_FAR: `'deadline' ${payload.deadline} is more than ${MAX_COMMITMENT_MONTHS} months after the commitment was made (${madeOn ?? today})`,
    }[dates.reason];
    throw badUserInput(why, { reason: dates.reason, field: dates.field === 'start' ? 'madeOn' : 'deadline', ...(checkedOn ? { checkedOn } : {}) });
  }
  // A department records the commitments made to it; the credit office any.
  requireActsFor(caller, payload.madeTo, 'recordCommitment');
  // A department records commitments of subjects it deals with: its breach report black-lists, so a
  // department must not reach a subject it holds nothing of (the credit office records any).
  if (payload.madeTo !== 'CREDIT_OFFICE' && !isCreditOffice(caller)) {
    const records = await departmentRecords(payload.madeTo, payload.subjectCode, `recordCommitment ${payload.subjectCode}`);
    if (!holdsAnyRecord(records)) {
      throw refuse('RECORD_NOT_FOUND', `${payload.madeTo} holds no record of subject ${payload.subjectCode}: a department records the commitments of subjects it deals with`, { field: 'subjectCode' });
    }
  }
  const key = requireIdempotencyKey(input.idempotencyKey);
  const client = clientScope(caller);
  return createOnce(db, {
    table: 'credit_commitment',
    mutation: 'recordCommitment',
    key,
    client,
    payload,
    // One check's 容缺受理 backs one commitment: two applications cannot ride on one grant.
    lock: payload.checkId ? `commitment-check:${payload.checkId}` : undefined,
    read: readCommitment,
    async create(tx, requestFingerprint) {
      if (payload.checkId) {
        const [backed] = await tx.query<{ id: string }>('SELECT id::text AS id FROM credit_commitment WHERE check_id = $1::uuid', [payload.checkId]);
        if (backed) {
          throw refuse('CHECK_ALREADY_USED', `the 容缺受理 of credit check ${payload.checkId} already backs commitment ${backed.id}: one check's grant backs one commitment`, {
            field: 'checkId',
            commitmentId: backed.id,
          });
        }
      }
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO credit_commitment (idempotency_key, request_fingerprint, subject_code, scenario, content, made_on, made_to, client_id,
                                        application, deadline, check_id)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9, $10::date, $11::uuid) RETURNING id::text AS id`,
        [key, requestFingerprint, payload.subjectCode, payload.scenario, payload.content, madeOn ?? today, payload.madeTo, client,
         payload.application, payload.deadline, payload.checkId],
      );
      return row!.id;
    },
  });
}

export interface ReportBreachInput {
  id: string;
  department: string;
  note: string;
}

/**
 * Records a breach reported by a department and puts the subject on the
 * black list from today. A commitment is breached once: a second report is
 * refused with INVALID_TRANSITION and changes nothing.
 */
export async function reportCommitmentBreach(db: Database, input: ReportBreachInput, caller: ForwardedIdentity): Promise<Commitment> {
  const id = parseRowId(input.id);
  if (!id) throw notFound('credit commitment', input.id);
  const department = requireDepartment(input.department);
  requireActsFor(caller, department, 'reportCommitmentBreach');
  // The department the commitment was made to reports its breach (or the credit office).
  const commitment = await readCommitment(db, id);
  if (!commitment) throw notFound('credit commitment', input.id);
  requireActsFor(caller, commitment.madeTo, 'reportCommitmentBreach');
  const note = requireText('note', input.note);
  const today = todayInChina();
  const earliest = earliestBreachReport(commitment);
  if (commitment.status === 'KEPT' && earliest !== null && today < earliest) {
    throw refuse('NOT_ELIGIBLE_YET', `credit commitment ${id} runs until ${commitment.deadline}: it can be reported breached from ${earliest} if it is not fulfilled by then`, { field: 'id', eligibleFrom: earliest });
  }
  await db.transaction(async (tx) => {
    if (!(await breachCommitment(tx, id, { on: today, department, note, automatic: false }))) {
      const current = await readCommitment(tx, id);
      if (!current) throw notFound('credit commitment', input.id);
      // The same report again (a retry) answers the breach recorded.
      if (repeatsTransition(current, { status: 'BREACHED', breachAutomatic: false, breachReportedBy: department, breachNote: note })) return;
      throw refuse('INVALID_TRANSITION', current.status === 'FULFILLED'
        ? `credit commitment ${id} was fulfilled on ${current.fulfilledOn}`
        : `credit commitment ${id} was already reported breached on ${current.breachedOn}`, { status: current.status });
    }
  });
  return (await readCommitment(db, id))!;
}

/**
 * Breaches a kept commitment on `on` and puts its subject on the black list
 * from that day (a CREDIT_OFFICE entry on `credit_commitment/<id>`, for the
 * list rule's period), in the caller's transaction. Returns the subject's
 * code, or null when the commitment is not kept (breached or fulfilled; an
 * automatic breach also takes one fulfilled only after its deadline).
 */
export async function breachCommitment(
  tx: Queryable,
  id: string,
  breach: { on: string; department: Department; note: string; automatic: boolean },
): Promise<string | null> {
  const [updated] = await tx.query<{ subject_code: string }>(
    // A fulfilment after the deadline stays on record in the breach's note (a breached commitment is not fulfilled).
    `UPDATE credit_commitment SET status = 'BREACHED', breached_on = $2::date, breach_department = $3, breach_automatic = $5, fulfilled_on = NULL,
            breach_note = CASE WHEN fulfilled_on IS NULL THEN $4 ELSE $4 || '；' || fulfilled_on::text || ' 方补齐（fulfilled after the deadline）' END
      WHERE id = $1::bigint AND (status = 'KEPT' OR ($5 AND status = 'FULFILLED' AND fulfilled_on > deadline))
      RETURNING subject_code`,
    [id, breach.on, breach.department, breach.note, breach.automatic],
  );
  if (!updated) return null;
  const period = commitmentBreachPeriod(breach.on);
  await tx.query(
    `INSERT INTO list_entry (subject_code, kind, reason, department, source_record, since, until)
     VALUES ($1, 'BLACK', $2, 'CREDIT_OFFICE', $3, $4::date, $5::date)
     ON CONFLICT (kind, department, source_record) DO NOTHING`,
    [updated.subject_code, `违反信用承诺（breach of a credit commitment）: ${breach.note}`, commitmentRecordId(id), period.since, period.until],
  );
  return updated.subject_code;
}

/**
 * The scheduled job's part for commitments: every kept commitment that
 * obtained 容缺受理 and was not fulfilled by its deadline is breached on the
 * day after the deadline (policy/commitments.ts), the department it was made
 * to is told in its queue. Each in its own transaction, skipping rows another
 * instance is breaching. Returns the subjects whose black-list entry began.
 */
export async function breachOverdueCommitments(db: Database, today: string): Promise<string[]> {
  // The commitments that obtained 容缺受理, kept or fulfilled (a fulfilment after the deadline does not undo the breach); the policy decides by the dates.
  const candidates = await db.query<BreachCandidate>(
    `SELECT id::text AS id, status, deadline::text AS deadline, fulfilled_on::text AS "fulfilledOn", COALESCE(made_to, 'CREDIT_OFFICE') AS "madeTo" FROM credit_commitment
      WHERE status IN ('KEPT', 'FULFILLED') AND check_id IS NOT NULL AND deadline IS NOT NULL ORDER BY credit_commitment.id`,
  );
  const changed: string[] = [];
  for (const commitment of candidates.filter((c) => breachedByDates({ ...c, obtainedMissingDocuments: true }, today))) {
    const code = await breachByDeadline(db, commitment);
    if (code) changed.push(code);
  }
  return changed;
}

interface BreachCandidate {
  id: string;
  status: string;
  deadline: string;
  fulfilledOn: string | null;
  madeTo: Department;
}

/**
 * Breaches a commitment the day after its deadline (policy/commitments.ts
 * breachedByDates: not fulfilled by then), the department told; in its own
 * transaction, skipping a row another instance is breaching. The subject's
 * code, or null when it was not (any longer) to breach.
 */
async function breachByDeadline(db: Database, commitment: BreachCandidate): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.query(`SELECT 1 FROM credit_commitment WHERE id = $1::bigint AND status IN ('KEPT', 'FULFILLED') FOR UPDATE SKIP LOCKED`, [commitment.id]);
    if (!locked) return null;
    const on = automaticBreachDate(commitment.deadline);
    const subject = await breachCommitment(tx, commitment.id, {
      on,
      department: commitment.madeTo,
      note: `逾期未履行承诺：容缺受理所缺材料未在 ${commitment.deadline} 前补齐（not fulfilled by its deadline）`,
      automatic: true,
    });
    if (subject) {
      await notify(tx, commitment.madeTo, 'COMMITMENT_BREACHED', commitmentRecordId(commitment.id), `信用承诺 ${commitment.id} 逾期未履行，已于 ${on} 列入失信名单（${subject}）`);
    }
    return subject;
  });
}

/** The department the commitment was made to (or the credit office) confirms it was fulfilled: it can no longer be breached. */
export async function fulfilCommitment(db: Database, input: { id: string; note: string; fulfilledOn?: string | null }, caller: ForwardedIdentity): Promise<Commitment> {
  const commitment = await requireRow('credit commitment', input.id, (id) => readCommitment(db, id));
  requireActsFor(caller, commitment.madeTo, 'fulfilCommitment');
  const note = requireText('note', input.note);
  const today = todayInChina();
  const on = input.fulfilledOn ? requireDate('fulfilledOn', input.fulfilledOn) : today;
  if (on > today) throw refuse('INVALID_INPUT', `'fulfilledOn' ${on} is in the future`, { field: 'fulfilledOn' });
  if (on < commitment.madeOn) throw refuse('INVALID_INPUT', `'fulfilledOn' ${on} is before the commitment was made (${commitment.madeOn})`, { field: 'fulfilledOn' });
  // Fulfilled after its deadline, a commitment that obtained 容缺受理 was breached the day after it (凌源 二(一)):
  // decided by the dates, not by whether the scheduled job ran before this confirmation.
  const late = { status: commitment.status, deadline: commitment.deadline, fulfilledOn: on, obtainedMissingDocuments: commitment.obtainedMissingDocuments };
  if (commitment.status === 'KEPT' && commitment.deadline !== null && breachedByDates(late, today)) {
    await breachByDeadline(db, { id: commitment.id, status: commitment.status, deadline: commitment.deadline, fulfilledOn: null, madeTo: commitment.madeTo });
    throw refuse('INVALID_TRANSITION', `credit commitment ${commitment.id} was not fulfilled by its deadline (${commitment.deadline}): it was breached on ${automaticBreachDate(commitment.deadline)}, and a fulfilment on ${on} does not undo that`, {
      status: 'BREACHED',
      field: 'fulfilledOn',
    });
  }
  const [updated] = await db.query(
    `UPDATE credit_commitment SET status = 'FULFILLED', fulfilled_on = $2::date, fulfilment_note = $3 WHERE id = $1::bigint AND status = 'KEPT' RETURNING id`,
    [commitment.id, on, note],
  );
  const current = (await readCommitment(db, commitment.id))!;
  // The same confirmation again (a retry) answers the fulfilment recorded; fulfilledOn left out is the day first recorded.
  if (!updated && !repeatsTransition(current, { status: 'FULFILLED', fulfilmentNote: note, fulfilledOn: input.fulfilledOn ? on : undefined })) {
    throw refuse('INVALID_TRANSITION', `credit commitment ${current.id} is ${current.status.toLowerCase()}${current.breachedOn ? ` since ${current.breachedOn}` : ''}${current.fulfilledOn ? ` (fulfilled on ${current.fulfilledOn})` : ''}: only a kept commitment is fulfilled`, { status: current.status });
  }
  return current;
}

/** The public notice of a commitment (信用承诺公示): what was committed, for what, by when, and whether it was kept. */
const PUBLIC_COMMITMENT_FIELDS = `credit_commitment.id::text AS id, subject_code AS "subjectCode", scenario, application, content,
  made_on::text AS "madeOn", deadline::text AS deadline, COALESCE(made_to, 'CREDIT_OFFICE') AS "madeTo", status, breached_on::text AS "breachedOn",
  fulfilled_on::text AS "fulfilledOn"`;

/**
 * A commitment whose breach the credit office withdrew — revoked or corrected after an upheld objection, or
 * repaired — leaves public disclosure, as a department's withdrawn record does (柴桑 (二十一), (二十); found by a
 * black-box review: a breach revoked as wrong stayed public as BREACHED). The credit office keeps it.
 */
const BREACH_NOT_WITHDRAWN = `NOT EXISTS (SELECT 1 FROM objection o WHERE o.department = 'CREDIT_OFFICE' AND o.record_id = 'credit_commitment/' || credit_commitment.id AND o.status = 'UPHELD')
  AND NOT EXISTS (SELECT 1 FROM repair_application a WHERE a.department = 'CREDIT_OFFICE' AND a.record_id = 'credit_commitment/' || credit_commitment.id AND a.status = 'APPROVED')`;

export async function commitmentPublicity(q: Queryable, args: { department?: string | null; first: number; after?: string | null }) {
  const first = requirePageSize(args.first);
  const department = args.department ? requireDepartment(args.department) : null;
  const after = args.after ? decodeIdCursor('commitment', args.after, 'commitmentPublicity') : null;
  const rows = await q.query<{ id: string }>(
    `SELECT ${PUBLIC_COMMITMENT_FIELDS} FROM credit_commitment
      WHERE ($1::text IS NULL OR COALESCE(made_to, 'CREDIT_OFFICE') = $1) AND ($2::bigint IS NULL OR id < $2::bigint) AND ${BREACH_NOT_WITHDRAWN}
      ORDER BY credit_commitment.id DESC LIMIT $3`,
    [department, after, first + 1],
  );
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeIdCursor('commitment', last.id) : null, hasNextPage: rows.length > first };
}

const publicCommitmentsOfSubject = perRequest((db) =>
  rowsBySubject<{ id: string }>(db, `SELECT subject_code, ${PUBLIC_COMMITMENT_FIELDS} FROM credit_commitment WHERE subject_code = ANY($1::text[]) AND ${BREACH_NOT_WITHDRAWN} ORDER BY credit_commitment.id DESC`),
);

const commitmentsOfSubject = perRequest((db) =>
  rowsBySubject<Commitment>(
    db,
    `SELECT subject_code, ${COMMITMENT_FIELDS} FROM credit_commitment WHERE subject_code = ANY($1::text[]) ORDER BY credit_commitment.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const commitmentResolvers: ResolverMap = {
  Query: {
    commitment: async (_root: unknown, args: { id: string }, context: Context) => {
      const id = parseRowId(args.id);
      return id ? readCommitment(context.db, id) : null;
    },
    commitmentPublicity: (_root: unknown, args: { department?: string | null; first: number; after?: string | null }, context: Context) =>
      commitmentPublicity(context.db, args),
  },
  Mutation: {
    recordCommitment: (_root: unknown, args: { input: RecordCommitmentInput }, context: Context) =>
      recordCommitment(context.db, args.input, context.caller),
    reportCommitmentBreach: (_root: unknown, args: ReportBreachInput, context: Context) => reportCommitmentBreach(context.db, args, context.caller),
    fulfilCommitment: (_root: unknown, args: { id: string; note: string; fulfilledOn?: string | null }, context: Context) => fulfilCommitment(context.db, args, context.caller),
  },
  Subject: {
    commitments: (subject: { code: string }, _args: unknown, context: Context) => commitmentsOfSubject(context).load(subject.code),
    publicCommitments: (subject: { code: string }, _args: unknown, context: Context) => publicCommitmentsOfSubject(context).load(subject.code),
  },
};
