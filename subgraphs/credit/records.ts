/**
 * A workflow's record, read from the department that holds it at the time of
 * filing (DESIGN.md «Decisions»: "Workflows are bound: an objection, repair or
 * joint case names a record that exists in that department and belongs to
 * that subject; eligibility comes from the record, never the applicant").
 *
 * The department is asked by the path the list rules already use
 * (departments.ts: its `CreditCheck` evidence, the full record set of a
 * subject, whoever asks); the credit office's own records (breached
 * commitments) are read from its register. A record is bound to the subject
 * when the department holds it under the subject's code, or under the code
 * of an entity the subject (a person) is legal representative of. Anything
 * else is refused with BAD_USER_INPUT and nothing is stored:
 *   RECORD_OF_ANOTHER_SUBJECT  the department holds the record, of another subject
 *                              (found under the code the record id names);
 *   RECORD_NOT_FOUND           the department holds no such record for the subject.
 * A department that does not answer refuses the filing (DEPARTMENT_UNAVAILABLE).
 */
import type { Queryable } from '../../lib/db';
import { todayInChina } from '../../lib/clock';
import { maskResidentId, validateSubjectCode } from '../../lib/identifiers';
import { badUserInput } from '../../lib/errors';
import { departmentRecords, type RecordDepartment } from './departments';
import { EVIDENCE_DEPARTMENTS, findTriggers, type Evidence, type MarketEvidence } from './checks/evidence';
import { entryInForce, listDeterminations, penaltyTrigger, type RepairableRecordKind, type RepairArea } from './policy';
import type { Department, Trigger } from './vocabulary';
import { rectificationOrderIdOf } from './workflows/common';

/** What makes a record repairable, as the department's record has it (policy/repair.ts decides from when). */
export interface RepairFacts {
  kind: RepairableRecordKind;
  area: RepairArea;
  /** The day publication (listing, breach) began. */
  publishedOn: string;
}

export interface BoundRecord {
  department: Department;
  recordId: string;
  /** The subject the record is about: the named subject, or the entity it represents. */
  ownerCode: string;
  /** What the record triggers today (none: nothing in force, e.g. an ordinary rating). */
  triggers: Trigger[];
  /** Null when credit repair does not apply to this kind of record (or it was never published). */
  repair: RepairFacts | null;
  /** The day the record's determination began (listing, publication, assessment, breach), when the list rules date it; null otherwise. */
  since: string | null;
}

export type RecordRefusal = 'RECORD_NOT_FOUND' | 'RECORD_OF_ANOTHER_SUBJECT';

const evidenceField = (department: RecordDepartment): keyof Evidence =>
  (Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[]).find((field) => EVIDENCE_DEPARTMENTS[field] === department)!;

type Row = { recordId: string } & Record<string, unknown>;

/** The record `recordId` in a department's answer, with the list it came from. */
function findRow(records: object, recordId: string): { list: string; row: Row } | null {
  for (const [list, rows] of Object.entries(records)) {
    if (!Array.isArray(rows)) continue;
    const row = rows.find((r: Row | null) => r && r.recordId === recordId);
    if (row) return { list, row };
  }
  return null;
}

/** Credit repair of a department record: penalties under publication, the abnormal and the serious illegal lists. */
function repairFactsOf(department: RecordDepartment, list: string, row: Row): RepairFacts | null {
  if (list === 'penalties') {
    const publishedOn = row.publishedOn as string | null;
    if (!publishedOn) return null;
    const area = (department === 'ENVIRONMENT' ? 'ENVIRONMENT' : row.area) as RepairArea;
    return { kind: penaltyTrigger(department, { serious: row.serious as boolean, area: row.area as string | undefined }), area, publishedOn };
  }
  if (department === 'MARKET' && list === 'abnormalOperations') return { kind: 'ABNORMAL_OPERATIONS', area: 'OTHER', publishedOn: row.listedOn as string };
  if (department === 'MARKET' && list === 'seriousViolations') return { kind: 'SERIOUS_VIOLATION_LIST', area: 'OTHER', publishedOn: row.listedOn as string };
  return null;
}

/** Codes a record id names besides the subject's (`dishonest_debtor/<code>/<case>`): where another subject's record would be. */
function codesNamedIn(recordId: string, except: string): string[] {
  return recordId
    .split('/')
    .map((part) => part.toUpperCase())
    .filter((part) => part !== except && validateSubjectCode(part).valid);
}

/**
 * A record id as the filer may have read it. Callers without `personal` (the
 * public website, a subject filing for itself) see a natural person's record
 * ids with the number masked (gateway/plugins/personal-data.ts); the masked
 * number of the subject named in the filing stands for that subject's code.
 * Nothing else is unmasked: the record must still be the subject's.
 */
export function recordIdOf(recordId: string, subjectCode: string): string {
  const person = validateSubjectCode(subjectCode);
  if (!person.valid || person.kind !== 'NATURAL_PERSON') return recordId;
  return recordId.split(maskResidentId(person.code)).join(person.code);
}

export function refuseRecord(reason: RecordRefusal, message: string): never {
  throw badUserInput(message, { reason, field: 'recordId' });
}

/**
 * The record `recordId` of `department`, bound to `subjectCode`, read from
 * the department now; refused (RECORD_NOT_FOUND, RECORD_OF_ANOTHER_SUBJECT)
 * otherwise. `purpose` goes into the department's log.
 */
export async function boundRecord(
  db: Queryable,
  department: Department,
  subjectCode: string,
  recordId: string,
  purpose: string,
  today: string = todayInChina(),
): Promise<BoundRecord> {
  const notFound = () => refuseRecord('RECORD_NOT_FOUND', `${department} holds no record '${recordId}' of subject ${subjectCode}`);
  if (department === 'CREDIT_OFFICE') {
    const orderId = rectificationOrderIdOf(department, recordId);
    if (orderId) return overdueOrderRecord(db, orderId, recordId, subjectCode, today, notFound);
    const id = /^credit_commitment\/([1-9]\d{0,17})$/.exec(recordId)?.[1];
    const [commitment] = id
      ? await db.query<{ subject_code: string; breached_on: string | null }>(
          'SELECT subject_code, breached_on::text AS breached_on FROM credit_commitment WHERE id = $1::bigint',
          [id],
        )
      : [];
    if (!commitment) return notFound();
    if (commitment.subject_code !== subjectCode) {
      return refuseRecord('RECORD_OF_ANOTHER_SUBJECT', `record '${recordId}' of the credit office is not a record of subject ${subjectCode}`);
    }
    const breached = commitment.breached_on;
    return {
      department,
      recordId,
      ownerCode: subjectCode,
      triggers: breached ? ['COMMITMENT_BREACH'] : [],
      repair: breached ? { kind: 'COMMITMENT_BREACH', area: 'OTHER', publishedOn: breached } : null,
      since: breached,
    };
  }
  const field = evidenceField(department);
  const bound = (ownerCode: string, records: object, found: { list: string; row: Row }): BoundRecord => ({
    department,
    recordId,
    ownerCode,
    triggers: findTriggers(ownerCode, { market: null, tax: null, courts: null, environment: null, [field]: records }, today)
      .filter((hit) => hit.recordId === recordId)
      .map((hit) => hit.trigger),
    repair: repairFactsOf(department, found.list, found.row),
    since:
      listDeterminations({ [field]: records })
        .filter((d) => d.sourceRecord === recordId)
        .map((d) => d.since)
        .sort()[0] ?? null,
  });
  const own = await departmentRecords(department, subjectCode, purpose);
  const mine = findRow(own, recordId);
  if (mine) return bound(subjectCode, own, mine);

  // A person answers for the entities it represents (DESIGN.md «rules»: measures extend to the legal representative).
  const validation = validateSubjectCode(subjectCode);
  if (validation.valid && validation.kind === 'NATURAL_PERSON') {
    const market = (department === 'MARKET' ? own : await departmentRecords('MARKET', subjectCode, purpose)) as MarketEvidence;
    for (const entity of market.representedEntities ?? []) {
      const records = await departmentRecords(department, entity.code, purpose);
      const found = findRow(records, recordId);
      if (found) return bound(entity.code, records, found);
    }
  }
  for (const other of codesNamedIn(recordId, subjectCode)) {
    if (findRow(await departmentRecords(department, other, purpose), recordId)) {
      return refuseRecord('RECORD_OF_ANOTHER_SUBJECT', `record '${recordId}' of ${department} is not a record of subject ${subjectCode}`);
    }
  }
  return notFound();
}

/**
 * The credit office's record of an overdue rectification, `rectification_order/<id>`: the order of
 * the subject, a determination of the credit office (its key-attention entry, RECTIFICATION_OVERDUE,
 * policy/lists.ts) from the day the entry began — objectable like a breached commitment (柴桑
 * (二十一): every determination can be disputed), not repairable (it ends when the subject rectifies).
 */
async function overdueOrderRecord(db: Queryable, orderId: string, recordId: string, subjectCode: string, today: string, notFound: () => never): Promise<BoundRecord> {
  const [order] = await db.query<{ subject_code: string; since: string | null; until: string | null }>(
    `SELECT o.subject_code, e.since::text AS since, e.until::text AS until FROM rectification_order o
       LEFT JOIN list_entry e ON e.kind = 'KEY_ATTENTION' AND e.department = 'CREDIT_OFFICE' AND e.source_record = $2
      WHERE o.id = $1::bigint`,
    [orderId, recordId],
  );
  if (!order) return notFound();
  if (order.subject_code !== subjectCode) return refuseRecord('RECORD_OF_ANOTHER_SUBJECT', `record '${recordId}' of the credit office is not a record of subject ${subjectCode}`);
  const listed = order.since !== null && entryInForce({ since: order.since, until: order.until }, today);
  return { department: 'CREDIT_OFFICE', recordId, ownerCode: subjectCode, triggers: listed ? ['RECTIFICATION_OVERDUE'] : [], repair: null, since: order.since };
}
