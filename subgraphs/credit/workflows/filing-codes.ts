/**
 * Self-service for the subject (柴桑 (二十一) 异议申请, (二十) 信用修复 by the
 * subject itself): a subject files its own objection or repair application
 * on the public credit website, with no API key, proving who it is with a
 * one-time filing code, and follows it by its id.
 *
 * Why a code the credit office issues, and not a client of its own: the
 * website is PUBLIC (the public holds no credentials, and a subject is not a
 * client system), while the credit office is where a subject's identity is
 * checked anyway — in person at the service hall (ID card, business licence
 * and the legal representative's authorisation), or through the contact it
 * holds for the subject. Having checked, its clerk issues a code
 * (issueFilingCode, scope `consent`, like the subject's other acts the
 * credit office records) and hands it over or sends it to that contact. The
 * code is bound to one subject and one kind of filing, single use, valid
 * FILING_CODE_DAYS days, and kept only as its SHA-256; issuing another voids
 * an unused one. It is 60 random bits (12 characters of Crockford base32),
 * so guessing one within its days is out of reach at any rate limit.
 *
 * The code is spent in the transaction that stores the filing: a refused or
 * failed filing leaves it unspent, and two filings racing for one code file
 * once. A retry with the same code and idempotency key answers the filing
 * made (keys are scoped by the code: `filing:<id>`). With the code the
 * subject then reads its filing's progress (`filing(id, filingCode)`).
 */
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { requireSubjectCode } from '../../../lib/errors';
import { addDays } from '../policy';
import { todayInChina } from '../../../lib/clock';
import { forbidden } from '../callers';
import { refuseRecord } from '../records';
import { parseRowId, refuse, requireIdempotencyKey, requireText } from './common';
import { createObjection, readObjection, type FileObjectionInput } from './objections';
import { createRepairApplication, readRepairApplication, type ApplyForRepairInput } from './repairs';

export type FilingPurpose = 'OBJECTION' | 'REPAIR';
const PURPOSES: readonly FilingPurpose[] = ['OBJECTION', 'REPAIR'];

/** How long an issued code can be used (China days). */
export const FILING_CODE_DAYS = 7;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

function newCode(): string {
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => ALPHABET[b % 32]).join(''); // 256 is a multiple of 32: unbiased
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** The code as typed (case, spaces, dashes, O for 0 and I/L for 1 forgiven), hashed. */
function codeHash(code: string): string {
  const normalised = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return crypto.createHash('sha256').update(normalised).digest('hex');
}

export interface IssuedFilingCode {
  code: string;
  subjectCode: string;
  purpose: FilingPurpose;
  contact: string;
  expiresOn: string;
}

/** Issues a code for the subject the credit office verified; an unused earlier code of the same subject and purpose is voided. */
export async function issueFilingCode(
  db: Database,
  input: { subjectCode: string; purpose: string; contact: string },
  caller: ForwardedIdentity,
): Promise<IssuedFilingCode> {
  if (caller.role !== 'CREDIT_OFFICE') throw forbidden('issueFilingCode', 'NOT_ALLOWED', 'only the credit office, having verified the subject, issues filing codes');
  const subjectCode = requireSubjectCode(input.subjectCode);
  if (!(PURPOSES as readonly string[]).includes(input.purpose)) throw refuse('INVALID_INPUT', `unknown purpose '${input.purpose}'`, { field: 'purpose' });
  const purpose = input.purpose as FilingPurpose;
  const contact = requireText('contact', input.contact, 200);
  const code = newCode();
  const expiresOn = addDays(todayInChina(), FILING_CODE_DAYS);
  await db.transaction(async (tx) => {
    await tx.query(`UPDATE filing_code SET voided_at = now() WHERE subject_code = $1 AND purpose = $2 AND used_at IS NULL AND voided_at IS NULL`, [subjectCode, purpose]);
    await tx.query(
      `INSERT INTO filing_code (subject_code, purpose, code_hash, contact, issued_by, expires_on) VALUES ($1, $2, $3, $4, $5, $6::date)`,
      [subjectCode, purpose, codeHash(code), contact, caller.clientId ?? '', expiresOn],
    );
  });
  return { code, subjectCode, purpose, contact, expiresOn };
}

interface FilingCodeRow {
  id: string;
  subject_code: string;
  purpose: FilingPurpose;
  expires_on: string;
  used_at: string | null;
  voided_at: string | null;
  used_for: string | null;
}

async function findCode(q: Queryable, code: string): Promise<FilingCodeRow | null> {
  const [row] = await q.query<FilingCodeRow>(
    `SELECT id::text AS id, subject_code, purpose, expires_on::text AS expires_on, used_at::text AS used_at, voided_at::text AS voided_at, used_for::text AS used_for
       FROM filing_code WHERE code_hash = $1`,
    [codeHash(code)],
  );
  return row ?? null;
}

/** One refusal for every code that does not let this subject make this filing: a guesser learns nothing. */
const badCode = (mutation: string) =>
  forbidden(mutation, 'NOT_ALLOWED', 'the filing code is not valid for this subject and filing (wrong, expired, voided or already used); ask the credit office for a new one');

/** The table each kind of filing is stored in. */
const FILING_TABLE: Record<FilingPurpose, string> = { OBJECTION: 'objection', REPAIR: 'repair_application' };

/**
 * The code's row if it lets the subject make this filing now, or if this is
 * a retry (same idempotency key) of the filing it was spent on; else refused,
 * before the record is looked up: a spent code answers nothing about anyone's
 * records.
 */
async function requireCode(db: Queryable, input: { filingCode: string; idempotencyKey: string }, subjectCode: string, purpose: FilingPurpose, mutation: string): Promise<FilingCodeRow> {
  const row = await findCode(db, requireText('filingCode', input.filingCode, 40));
  if (!row || row.subject_code !== subjectCode || row.purpose !== purpose || row.voided_at !== null) throw badCode(mutation);
  if (row.used_at === null) {
    if (row.expires_on < todayInChina()) throw badCode(mutation);
    return row;
  }
  const [retry] = await db.query(
    `SELECT 1 FROM ${FILING_TABLE[purpose]} WHERE id = $1::bigint AND client_id = $2 AND idempotency_key = $3`,
    [row.used_for, filingClient(row), requireIdempotencyKey(input.idempotencyKey)],
  );
  if (!retry) throw badCode(mutation);
  return row;
}

/** The idempotency scope of a code's filing: keys are the code's, not global. */
const filingClient = (code: FilingCodeRow) => `filing:${code.id}`;

/**
 * Files for the subject itself: another subject's record is refused as one
 * that does not exist. A PUBLIC filer must not learn whose a record is — the
 * difference would confirm a guessed identity number behind a masked record
 * id (found by a black-box review: the refusal was an oracle for the full
 * number of the person behind a masked debtor record id).
 */
async function ownFiling<T>(input: { department: string; recordId: string }, subjectCode: string, file: () => Promise<T>): Promise<T> {
  try {
    return await file();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.reason === 'RECORD_OF_ANOTHER_SUBJECT') {
      return refuseRecord('RECORD_NOT_FOUND', `${input.department} holds no record '${input.recordId}' of subject ${subjectCode}`);
    }
    throw error;
  }
}

/** Spends the code on the filing just created, in its transaction; a code spent meanwhile refuses (and rolls back) the filing. */
const spend = (codeId: string, mutation: string) => async (tx: Queryable, filingId: string) => {
  const [spent] = await tx.query(`UPDATE filing_code SET used_at = now(), used_for = $2::bigint WHERE id = $1::bigint AND used_at IS NULL RETURNING id`, [codeId, filingId]);
  if (!spent) throw badCode(mutation);
};

export async function fileOwnObjection(db: Database, input: FileObjectionInput & { filingCode: string }): Promise<Filing> {
  const subjectCode = requireSubjectCode(input.subjectCode);
  const code = await requireCode(db, input, subjectCode, 'OBJECTION', 'fileOwnObjection');
  const objection = await ownFiling(input, subjectCode, () => createObjection(db, input, filingClient(code), spend(code.id, 'fileOwnObjection')));
  return (await readFiling(db, 'OBJECTION', objection.id))!;
}

export async function applyForOwnRepair(db: Database, input: ApplyForRepairInput & { filingCode: string }): Promise<Filing> {
  const subjectCode = requireSubjectCode(input.subjectCode);
  const code = await requireCode(db, input, subjectCode, 'REPAIR', 'applyForOwnRepair');
  const application = await ownFiling(input, subjectCode, () => createRepairApplication(db, input, filingClient(code), todayInChina(), spend(code.id, 'applyForOwnRepair')));
  return (await readFiling(db, 'REPAIR', application.id))!;
}

/** What a subject sees of its own filing: where it stands, never anything of anyone else. */
export interface Filing {
  id: string;
  kind: FilingPurpose;
  subjectCode: string;
  department: string;
  recordId: string;
  status: string;
  filedAt: string;
  verifyBy: string | null;
  eligibleFrom: string | null;
  decidedAt: string | null;
  note: string | null;
  /** The subject the department holds the record under (not exposed: a filing changes its cached answers too). */
  recordSubjectCode: string;
}

async function readFiling(q: Queryable, kind: FilingPurpose, id: string): Promise<Filing | null> {
  if (kind === 'OBJECTION') {
    const o = await readObjection(q, id);
    return o && { id: o.id, kind, subjectCode: o.subjectCode, department: o.department, recordId: o.recordId, status: o.status, filedAt: o.filedAt, verifyBy: o.verifyBy, eligibleFrom: null, decidedAt: o.resolvedAt, note: o.resolutionNote, recordSubjectCode: o.recordSubjectCode };
  }
  const a = await readRepairApplication(q, id);
  return a && { id: a.id, kind, subjectCode: a.subjectCode, department: a.department, recordId: a.recordId, status: a.status, filedAt: a.appliedAt, verifyBy: null, eligibleFrom: a.eligibleFrom, decidedAt: a.decidedAt, note: a.decisionNote, recordSubjectCode: a.recordSubjectCode };
}

/** The filing the code was spent on, when `id` is it; null otherwise (a wrong code and a wrong id look the same). */
export async function filingByCode(q: Queryable, id: string, code: string): Promise<Filing | null> {
  const rowId = parseRowId(id);
  const row = rowId ? await findCode(q, code) : null;
  if (!row || row.used_for !== rowId) return null;
  return readFiling(q, row.purpose, rowId!);
}

type Context = SubgraphContext<unknown>;

export const filingResolvers: ResolverMap = {
  Query: {
    filing: (_root: unknown, args: { id: string; filingCode: string }, context: Context) => filingByCode(context.db, args.id, args.filingCode),
  },
  Mutation: {
    issueFilingCode: (_root: unknown, args: { input: { subjectCode: string; purpose: string; contact: string } }, context: Context) =>
      issueFilingCode(context.db, args.input, context.caller),
    fileOwnObjection: (_root: unknown, args: { input: FileObjectionInput & { filingCode: string } }, context: Context) => fileOwnObjection(context.db, args.input),
    applyForOwnRepair: (_root: unknown, args: { input: ApplyForRepairInput & { filingCode: string } }, context: Context) => applyForOwnRepair(context.db, args.input),
  },
};
