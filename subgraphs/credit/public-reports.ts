/**
 * Reports from the public (举报, 甘州 四(五); 柴桑 (十二)): anyone reports
 * suspected dishonest conduct of a subject, without a credential; the credit
 * office routes the report to the competent department, which closes it with
 * a result. The reporter follows it by the receipt code it was given, which
 * says nothing about who reported. Contact details, when given, are kept in a
 * table of their own and read by the credit office only (the reporter's
 * identity is protected: not the department's, not the subject's, not the
 * public's).
 *
 * The receipt code is derived from the request's idempotency key with the
 * platform's key (HMAC), so a retried submission gets the same receipt and
 * nothing but its SHA-256 is stored; a key must be long and varied enough not
 * to be guessed (the website makes a random one), and a retry answers the
 * receipt within REPORT_RETRY_MINUTES of the submission only (policy/reports.ts).
 *
 *   RECEIVED → ROUTED → CLOSED
 */
import crypto from 'node:crypto';
import type { Database, Queryable } from '../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import { badUserInput, requireSubjectCode } from '../../lib/errors';
import { identitySigningKey } from '../../lib/config';
import { callerDepartment, forbidden, isCreditOffice, requireActsFor } from './callers';
import { notify } from './notifications';
import { MIN_REPORT_KEY_DISTINCT, MIN_REPORT_KEY_LENGTH, REPORT_RETRY_MINUTES, reportKeyRefusal, retryAnswersReceipt } from './policy';
import { decodeIdCursor, encodeIdCursor, fingerprint, isoTimestamp, optionalText, refuse, repeatsTransition, requireDepartment, requirePageSize, requireRow, requireText } from './workflows/common';
import type { Department } from './vocabulary';

export type ReportStatus = 'RECEIVED' | 'ROUTED' | 'CLOSED';
export type ReportResult = 'SUBSTANTIATED' | 'NOT_SUBSTANTIATED';

export interface PublicReport {
  id: string;
  subjectCode: string;
  conduct: string;
  suggestedDepartment: Department | null;
  status: ReportStatus;
  department: Department | null;
  routedAt: string | null;
  routingNote: string | null;
  result: ReportResult | null;
  resultNote: string | null;
  closedAt: string | null;
  submittedAt: string;
}

const REPORT_FIELDS = `public_report.id::text AS id, subject_code AS "subjectCode", conduct, suggested_department AS "suggestedDepartment", status, department,
  ${isoTimestamp('routed_at')} AS "routedAt", routing_note AS "routingNote", result, result_note AS "resultNote", ${isoTimestamp('closed_at')} AS "closedAt",
  ${isoTimestamp('submitted_at')} AS "submittedAt"`;

async function readReport(q: Queryable, id: string): Promise<PublicReport | null> {
  const [row] = await q.query<PublicReport>(`SELECT ${REPORT_FIELDS} FROM public_report WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

const RECEIPT_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** The receipt of a submission: HMAC of its idempotency key, 16 characters shown as XXXX-XXXX-XXXX-XXXX. */
function receiptFor(idempotencyKey: string): string {
  const key = identitySigningKey();
  if (!key) throw new Error('no IDENTITY_SIGNING_KEY: the credit office cannot issue report receipts');
  const digest = crypto.createHmac('sha256', key).update(`public-report:${idempotencyKey}`).digest();
  const chars = [...digest.subarray(0, 16)].map((byte) => RECEIPT_ALPHABET[byte % 32]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A receipt as a reporter may type it: case, spaces and dashes forgiven. */
const normaliseReceipt = (receipt: string): string => receipt.toUpperCase().replace(/[\s-]/g, '').match(/.{1,4}/g)?.join('-') ?? '';
const receiptHash = (receipt: string): string => crypto.createHash('sha256').update(normaliseReceipt(receipt)).digest('hex');

export interface SubmitReportInput {
  subjectCode: string;
  conduct: string;
  department?: string | null;
  contact?: { name?: string | null; phone?: string | null; email?: string | null } | null;
  idempotencyKey: string;
}

/** Anyone reports a subject; the answer is the receipt to follow it by (a retry with the same key answers the same receipt). */
export async function submitReport(db: Database, input: SubmitReportInput): Promise<{ receiptCode: string; status: ReportStatus; submittedAt: string }> {
  const key = requireText('idempotencyKey', input.idempotencyKey, 200);
  // The receipt is derived from the key: one that can be guessed would let others follow the report (policy/reports.ts).
  const weak = reportKeyRefusal(key);
  if (weak) {
    throw badUserInput(
      `'idempotencyKey' of a report must be at least ${MIN_REPORT_KEY_LENGTH} random characters with at least ${MIN_REPORT_KEY_DISTINCT} different ones, e.g. a UUID (its receipt is derived from it)`,
      { field: 'idempotencyKey', reason: weak },
    );
  }
  const contact = {
    name: optionalText('contact.name', input.contact?.name, 100),
    phone: optionalText('contact.phone', input.contact?.phone, 50),
    email: optionalText('contact.email', input.contact?.email, 200),
  };
  const payload = {
    subjectCode: requireSubjectCode(input.subjectCode),
    conduct: requireText('conduct', input.conduct),
    department: input.department ? requireDepartment(input.department) : null,
    contact,
  };
  const receipt = receiptFor(key);
  const hash = receiptHash(receipt);
  const requestFingerprint = fingerprint(payload);
  const answer = (row: { status: ReportStatus; submittedAt: string }) => ({ receiptCode: receipt, status: row.status, submittedAt: row.submittedAt });
  const existing = async (q: Queryable) => {
    const [row] = await q.query<{ request_fingerprint: string; status: ReportStatus; submittedAt: string; age: number }>(
      `SELECT request_fingerprint, status, ${isoTimestamp('submitted_at')} AS "submittedAt", extract(epoch FROM now() - submitted_at)::float8 AS age
         FROM public_report WHERE receipt_hash = $1`,
      [hash],
    );
    if (row && row.request_fingerprint !== requestFingerprint) {
      throw refuse('IDEMPOTENCY_CONFLICT', `idempotencyKey was already used by submitReport with a different report; use a new key for a new report`);
    }
    // A retry is answered while one is plausible; later, whoever resends the key and the content does not get the receipt.
    if (row && !retryAnswersReceipt(row.age)) {
      throw badUserInput(`this report was already submitted (${row.submittedAt}); its receipt was given then, and is not given again after ${REPORT_RETRY_MINUTES} minutes`, {
        reason: 'ALREADY_SUBMITTED',
        field: 'idempotencyKey',
      });
    }
    return row ?? null;
  };
  const before = await existing(db);
  if (before) return answer(before);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string; status: ReportStatus; submittedAt: string }>(
        `INSERT INTO public_report (receipt_hash, request_fingerprint, subject_code, conduct, suggested_department)
         VALUES ($1, $2, $3, $4, $5) RETURNING id::text AS id, status, ${isoTimestamp('submitted_at')} AS "submittedAt"`,
        [hash, requestFingerprint, payload.subjectCode, payload.conduct, payload.department],
      );
      if (contact.name || contact.phone || contact.email) {
        await tx.query('INSERT INTO public_report_contact (report_id, name, phone, email) VALUES ($1::bigint, $2, $3, $4)', [row!.id, contact.name, contact.phone, contact.email]);
      }
      return answer(row!);
    });
  } catch (error) {
    const raced = await existing(db);
    if (raced) return answer(raced);
    throw error;
  }
}

/** What the reporter sees by its receipt: where the report stands and the result; never who reported. Null for a receipt no report has. */
export async function reportByReceipt(q: Queryable, receiptCode: string): Promise<PublicReport | null> {
  const [row] = await q.query<PublicReport>(`SELECT ${REPORT_FIELDS} FROM public_report WHERE receipt_hash = $1`, [receiptHash(receiptCode)]);
  return row ?? null;
}

/** The credit office routes a received report to the competent department, which is told in its queue. */
export async function routeReport(db: Database, input: { id: string; department: string; note?: string | null }, caller: ForwardedIdentity): Promise<PublicReport> {
  if (!isCreditOffice(caller)) throw forbidden('routeReport', 'NOT_ALLOWED', 'reports from the public are routed by the credit office');
  const report = await requireRow('report', input.id, (id) => readReport(db, id));
  const department = requireDepartment(input.department);
  const note = optionalText('note', input.note);
  await db.transaction(async (tx) => {
    const [updated] = await tx.query(
      `UPDATE public_report SET status = 'ROUTED', department = $2, routed_at = now(), routing_note = $3 WHERE id = $1::bigint AND status = 'RECEIVED' RETURNING id`,
      [report.id, department, note],
    );
    if (!updated) {
      const current = (await readReport(tx, report.id))!;
      // The same routing again (a retry) answers the report as routed, also once the department closed it.
      if (repeatsTransition(current, { department, routingNote: note })) return;
      throw refuse('INVALID_TRANSITION', `report ${current.id} is ${current.status.toLowerCase()}${current.department ? ` (to ${current.department})` : ''}: only a received report is routed`, { status: current.status });
    }
    await notify(tx, department, 'REPORT_ROUTED', `report/${report.id}`, `群众举报 ${report.id}（${report.subjectCode}）已转交贵部门核查处理`);
  });
  return (await readReport(db, report.id))!;
}

/** The department the report was routed to (or the credit office) closes it with its result. */
export async function closeReport(db: Database, input: { id: string; result: string; note: string }, caller: ForwardedIdentity): Promise<PublicReport> {
  const report = await requireRow('report', input.id, (id) => readReport(db, id));
  if (report.status === 'RECEIVED') throw refuse('INVALID_TRANSITION', `report ${report.id} has not been routed to a department yet`, { status: report.status });
  requireActsFor(caller, report.department!, 'closeReport');
  if (input.result !== 'SUBSTANTIATED' && input.result !== 'NOT_SUBSTANTIATED') throw refuse('INVALID_INPUT', `unknown result '${input.result}'`, { field: 'result' });
  const note = requireText('note', input.note);
  const [updated] = await db.query(
    `UPDATE public_report SET status = 'CLOSED', result = $2, result_note = $3, closed_at = now() WHERE id = $1::bigint AND status = 'ROUTED' RETURNING id`,
    [report.id, input.result, note],
  );
  const current = (await readReport(db, report.id))!;
  // The same closing again (a retry) answers the report as closed.
  if (!updated && !repeatsTransition(current, { status: 'CLOSED', result: input.result, resultNote: note })) {
    throw refuse('INVALID_TRANSITION', `report ${current.id} was already closed (${current.result}: ${current.resultNote})`, { status: current.status });
  }
  return current;
}

/** Reports for the credit office (all, or one department's) and for a department (those routed to it). */
export async function publicReports(
  q: Queryable,
  caller: ForwardedIdentity,
  args: { assignedTo?: string | null; status?: ReportStatus | null; first: number; after?: string | null },
) {
  const first = requirePageSize(args.first);
  const own = callerDepartment(caller);
  const department = !args.assignedTo ? (isCreditOffice(caller) ? null : own) : args.assignedTo === 'MY_DEPARTMENT' ? own : requireDepartment(args.assignedTo);
  if (!isCreditOffice(caller)) {
    if (!own) throw forbidden('publicReports', 'NO_DEPARTMENT', 'this client acts for no department: no reports are routed to it');
    if (department !== own) throw forbidden('publicReports', 'OTHER_DEPARTMENT', `a ${own} client reads the reports routed to ${own} only`, { department: own });
  }
  const after = args.after ? decodeIdCursor('report', args.after, 'publicReports') : null;
  const rows = await q.query<PublicReport>(
    `SELECT ${REPORT_FIELDS} FROM public_report
      WHERE ($1::text IS NULL OR department = $1) AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR id > $3::bigint)
      ORDER BY public_report.id LIMIT $4`,
    [department, args.status ?? null, after, first + 1],
  );
  const nodes = rows.slice(0, first);
  const last = nodes[nodes.length - 1];
  return { nodes, endCursor: last ? encodeIdCursor('report', last.id) : null, hasNextPage: rows.length > first };
}

type Context = SubgraphContext<unknown>;

export const publicReportResolvers: ResolverMap = {
  Query: {
    reportByReceipt: (_root: unknown, args: { receiptCode: string }, context: Context) => reportByReceipt(context.db, args.receiptCode),
    publicReports: (_root: unknown, args: { assignedTo?: string | null; status?: ReportStatus | null; first: number; after?: string | null }, context: Context) =>
      publicReports(context.db, context.caller, args),
  },
  Mutation: {
    submitReport: (_root: unknown, args: { input: SubmitReportInput }, context: Context) => submitReport(context.db, args.input),
    routeReport: (_root: unknown, args: { id: string; department: string; note?: string | null }, context: Context) => routeReport(context.db, args, context.caller),
    closeReport: (_root: unknown, args: { id: string; result: string; note: string }, context: Context) => closeReport(context.db, args, context.caller),
  },
  PublicReport: {
    // The reporter's contact is the credit office's alone, whatever scopes another caller holds.
    contact: async (report: PublicReport, _args: unknown, context: Context) => {
      if (!isCreditOffice(context.caller)) throw forbidden('PublicReport.contact', 'NOT_ALLOWED', "a reporter's contact details are read by the credit office only");
      const [row] = await context.db.query<{ name: string | null; phone: string | null; email: string | null }>('SELECT name, phone, email FROM public_report_contact WHERE report_id = $1::bigint', [report.id]);
      return row ?? null;
    },
  },
};
