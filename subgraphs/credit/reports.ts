/**
 * Issuing and verifying credit reports (公共信用信息报告, 凌源 一(三); 柴桑 (三)).
 *
 * `Subject.creditReport` @requires the subject's records (lib/credit-report.ts REPORT_SELECTION):
 * the gateway fetches them from the departments as the caller, so a report holds exactly what
 * the caller may read, and hands them to this subgraph, which adds its own lists and the marks
 * of its workflows, renders the PDF, and registers the number with the file's SHA-256 before the
 * report leaves. Reading the field issues a report, as reading `creditCheck` records a check:
 * the gateway's audit log records the request like any other.
 */
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Database } from '../../lib/db';
import { badUserInput, requireSubjectCode } from '../../lib/errors';
import { isNaturalPerson, maskResidentId, USCC_ALPHABET } from '../../lib/identifiers';
import { seesAllRecords } from '../../lib/disclosure';
import { maskPersonalData, seesPersonalData } from '../../lib/personal-data';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import { todayInChina } from '../../lib/clock';
import { creditReportVerifyUrl } from '../../lib/config';
import {
  holdsAnyRecord, markableRecords, publishedListEntries, REPORT_NUMBER, reportContent, reportSections, type RecordMark, type ReportContent, type ReportListEntry, type ReportRecords,
} from '../../lib/credit-report';
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { decidedRecords, disputedRecords, inactiveRecords } from './workflows/status';
import { recordKey, type Department, type RecordRef } from './vocabulary';
import { renderReportPdf } from './report-pdf';
import { publishedRepairNotices, visibleEntries } from './disclosure';
import { registrationKnown } from './policy/incentives';
import { knownToCreditOffice } from './checks/store';
import type { CreditLoaders } from './store';

type Context = SubgraphContext<CreditLoaders>;

const SHA256 = /^[0-9a-f]{64}$/;

export function newReportNumber(now: Date): string {
  const random = Array.from({ length: 12 }, () => USCC_ALPHABET[crypto.randomInt(USCC_ALPHABET.length)]).join('');
  return `R${todayInChina(now).replaceAll('-', '')}${random}`;
}

/** The credit office's marks on the records: disputed (an objection is open) or corrected/repaired. */
async function recordMarks(db: Database, records: ReportRecords): Promise<Map<string, RecordMark>> {
  const refs = markableRecords(records).map((r) => ({ department: r.department as Department, recordId: r.recordId }));
  const [disputed, inactive] = await Promise.all([disputedRecords(db, refs), inactiveRecords(db, refs)]);
  const marks = new Map<string, RecordMark>();
  for (const ref of refs) {
    const key = recordKey(ref);
    if (inactive.has(key)) marks.set(ref.recordId, 'CORRECTED_OR_REPAIRED');
    else if (disputed.has(key)) marks.set(ref.recordId, 'DISPUTED');
  }
  return marks;
}

export interface IssuedReport {
  number: string;
  code: string;
  subjectName: string | null;
  issuedAt: string;
  sha256: string;
  pdf: Buffer;
  verificationUrl: string;
}

/** The departments whose records the gateway could not fetch (null: did not answer; empty lists: holds nothing). */
function missingDepartments(records: ReportRecords): string[] {
  const answered = { MARKET: records.market, TAX: records.tax, COURTS: records.courts, ENVIRONMENT: records.environment };
  return Object.entries(answered).flatMap(([department, profile]) => (profile ? [] : [department]));
}

/**
 * Rendering a PDF takes the credit subgraph's event loop for tens of milliseconds, and the same
 * loop answers credit checks with bidding deadlines: at most RENDERING reports render at once,
 * at most WAITING wait, and beyond that a report is refused (RATE_LIMITED) rather than letting a
 * flood of report requests delay the checks. Nothing is registered for a refused report.
 */
export const REPORT_RENDERING = 2;
export const REPORT_WAITING = 20;
let rendering = 0;
const waiting: (() => void)[] = [];

export async function withRenderSlot<T>(render: () => Promise<T>): Promise<T> {
  if (rendering >= REPORT_RENDERING) {
    if (waiting.length >= REPORT_WAITING) {
      throw new GraphQLError('too many credit reports are being issued right now; try again in a moment', { extensions: { code: 'RATE_LIMITED' } });
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    rendering += 1;
  }
  try {
    return await render();
  } finally {
    // Hand the slot straight to the next in line, or free it.
    const next = waiting.shift();
    if (next) next();
    else rendering -= 1;
  }
}

/** What the caller may read of a subject beyond the departments' records: its list entries and repair notices, and whether anyone knows it. */
interface CreditOfficeView {
  code: string;
  lists: ReportListEntry[];
  notices: Awaited<ReturnType<typeof publishedRepairNotices>>;
  registered: boolean | null;
}

/**
 * The list entries the caller may see (a withdrawn one only with `records`; to everyone else only
 * those in force, as the departments publish only records in force), the repair notices in
 * publication, and whether the subject is known to anyone, as far as the caller may read
 * (policy/incentives.ts registrationKnown): Subject.registered and the report decide on this one view.
 */
async function creditOfficeView(subject: { code: string } & ReportRecords, context: Context): Promise<CreditOfficeView> {
  const code = requireSubjectCode(subject.code);
  const visible = visibleEntries(context.caller, (await context.loaders.lists.load(code)) as (ReportListEntry & { code: string })[]);
  const lists = seesAllRecords(context.caller) ? visible : publishedListEntries(visible);
  const notices = await publishedRepairNotices(context, code);
  const known = holdsAnyRecord(subject) || lists.length > 0 || notices.length > 0
    || (seesAllRecords(context.caller) && (await knownToCreditOffice(context.db, [code])).has(code));
  return { code, lists, notices, registered: registrationKnown(known, missingDepartments(subject).length === 0) };
}

/**
 * Credit reports one request may issue. A report is a document about one subject, registered for good, and
 * rendering one is the costliest thing the credit office does: one request issued and registered 24 through
 * `subjects(codes:) { creditReport }` (found by a black-box review), around any per-visitor limit.
 */
export const REPORTS_PER_REQUEST = 1;
const reportsIssued = new WeakMap<object, number>();

async function issueReport(subject: { code: string } & ReportRecords, context: Context): Promise<IssuedReport> {
  const issued = reportsIssued.get(context) ?? 0;
  if (issued >= REPORTS_PER_REQUEST) {
    throw new GraphQLError(`no credit report issued: one request issues at most ${REPORTS_PER_REQUEST}; ask for each subject's report in a request of its own`, {
      extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_REPORTS', limit: REPORTS_PER_REQUEST },
    });
  }
  reportsIssued.set(context, issued + 1);
  const code = requireSubjectCode(subject.code);
  // A report is used to decide (procurement, bidding, approval): one with a department missing
  // could pass for a clean record, so none is issued, and nothing is registered.
  const missing = missingDepartments(subject);
  if (missing.length > 0) {
    throw new GraphQLError(`no credit report issued: ${missing.join(', ')} did not answer; try again later`, {
      extensions: { code: 'DEPARTMENT_UNAVAILABLE', departments: missing },
    });
  }
  const view = await creditOfficeView(subject, context);
  // Nor for a subject nobody knows: a report of a valid code no department registered would read
  // as a clean record, and a procurement clerk would take a shell company for a trustworthy one.
  if (view.registered === false) {
    throw badUserInput(`no credit report issued: no department holds a registration or any record of '${code}' (not registered)`, { reason: 'NOT_REGISTERED', input: code });
  }
  const now = new Date();
  const number = newReportNumber(now);
  const issuedAt = now.toISOString();
  const verificationUrl = `${creditReportVerifyUrl()}${number}`;
  const sections = reportSections(subject, view.lists, 'zh', await recordMarks(context.db, subject), view.notices);
  // For a caller without `personal`, no identity number but the subject's own in the report (the
  // gateway cannot mask inside a PDF); the content registered for the verification page, masked for anyone.
  const masked = maskPersonalData(sections, new Set([code]));
  const pdf = await withRenderSlot(() => renderReportPdf({
    number,
    issuedAt,
    code,
    name: subject.name ?? null,
    sections: seesPersonalData(context.caller) ? sections : masked,
    verificationUrl,
    issuedToRole: context.caller.role,
  }));
  const sha256 = crypto.createHash('sha256').update(pdf).digest('hex');
  // Registered before the report is answered: a report that leaves is always verifiable.
  await context.db.query(
    `INSERT INTO credit_report (number, subject_code, subject_name, issued_at, sha256, issued_to_role, issued_to_client, request_id, content)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [number, code, subject.name ?? null, issuedAt, sha256, context.caller.role, context.caller.clientId, context.caller.requestId, JSON.stringify(reportContent(masked))],
  );
  return { number, code, subjectName: subject.name ?? null, issuedAt, sha256, pdf, verificationUrl };
}

interface ReportRow {
  number: string;
  code: string;
  subjectName: string | null;
  issuedAt: string;
  issuedToRole: string;
  sha256: string;
  content: ReportContent | null;
}

/**
 * What the register says about a number. The subject of a natural person's report is shown
 * masked to callers without `personal`: a report number must not reveal an identity number.
 */
export async function verifyReport(db: Database, rawNumber: string, rawDigest: string | null | undefined, caller: Pick<ForwardedIdentity, 'scopes'>) {
  const number = rawNumber.trim().toUpperCase();
  if (!REPORT_NUMBER.test(number)) {
    throw badUserInput(`'${rawNumber}' is not a credit report number (R, 8 digits of the date, 12 characters)`, { reason: 'FORMAT', input: rawNumber });
  }
  const digest = rawDigest?.trim().toLowerCase() || null;
  if (digest !== null && !SHA256.test(digest)) throw badUserInput('sha256 must be 64 hexadecimal characters', { reason: 'DIGEST' });
  const [row] = await db.query<ReportRow>(
    `SELECT number, subject_code AS code, subject_name AS "subjectName",
            to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "issuedAt", issued_to_role AS "issuedToRole", sha256, content
       FROM credit_report WHERE number = $1`,
    [number],
  );
  if (!row) return { number, genuine: false, code: null, subjectKind: null, subjectName: null, issuedAt: null, issuedToRole: null, sha256: null, unaltered: null, content: null };
  const person = isNaturalPerson(row.code);
  const code = person && !seesPersonalData(caller) ? maskResidentId(row.code) : row.code;
  // A report issued to another role may hold what the public may not read: its content only for callers that read all records.
  const content = row.issuedToRole === 'PUBLIC' || seesAllRecords(caller) ? await withWithdrawalsSinceIssue(db, row.content) : null;
  return { ...row, code, subjectKind: person ? 'NATURAL_PERSON' : 'ORGANISATION', content, genuine: true, unaltered: digest === null ? null : digest === row.sha256 };
}

/**
 * The registered content with each entry's record marked when the credit office withdrew it after the report
 * was issued — revoked or corrected after an upheld objection, or repaired (found by a black-box review: a
 * record revoked as wrong still verified as a genuine black-list entry, with nothing to say it no longer stands).
 */
async function withWithdrawalsSinceIssue(db: Database, content: ReportContent | null) {
  if (!content) return null;
  const refs = content.sections.flatMap((section) => section.entries.flatMap((entry) => (entry.record ? [entry.record as RecordRef] : [])));
  const { inactive } = await decidedRecords(db, refs);
  return {
    sections: content.sections.map((section) => ({
      ...section,
      entries: section.entries.map((entry) => ({
        ...entry,
        fields: (entry.fields ?? []).map(([label, value]) => ({ label, value })),
        withdrawnSinceIssue: entry.record ? entry.mark !== 'CORRECTED_OR_REPAIRED' && inactive.has(recordKey(entry.record as RecordRef)) : null,
      })),
    })),
  };
}

export const reportResolvers: ResolverMap = {
  Query: {
    verifyCreditReport: (_root: unknown, args: { number: string; sha256?: string | null }, context: Context) =>
      verifyReport(context.db, args.number, args.sha256, context.caller),
  },
  Subject: {
    creditReport: (subject: { code: string } & ReportRecords, _args: unknown, context: Context) => issueReport(subject, context),
    registered: async (subject: { code: string } & ReportRecords, _args: unknown, context: Context) => (await creditOfficeView(subject, context)).registered,
  },
  CreditReport: {
    pdf: (report: IssuedReport) => report.pdf.toString('base64'),
  },
  CreditReportSectionContent: {
    entryCount: (section: ReportContent['sections'][number]) => section.entries.length,
  },
};
