/**
 * Financial authorisations (授权查询): a subject, through the credit office,
 * authorises a financial institution's client to see its non-public detail
 * until a date, and may revoke it. The gateway enforces them: it asks which
 * of the subjects a bank's request names are authorised for that bank.
 *
 *   ACTIVE → REVOKED (once)        ACTIVE → EXPIRED (by date)
 */
import type { Database, Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import { requireSubjectCode } from '../../../lib/errors';
import { todayInChina } from '../../../lib/clock';
import { rowsBySubject } from '../../../lib/loaders';
import type { ForwardedIdentity } from '../../../lib/auth/identity-header';
import { clientScope } from '../callers';
import { createOnce, isoTimestamp, notFound, parseRowId, perRequest, refuse, requireDate, requireIdempotencyKey, requireText } from './common';

export type AuthorisationStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface FinancialAuthorisation {
  id: string;
  subjectCode: string;
  clientId: string;
  grantedAt: string;
  validUntil: string;
  revokedAt: string | null;
  revocationNote: string | null;
}

export interface GrantInput {
  subjectCode: string;
  clientId: string;
  validUntil: string;
  idempotencyKey: string;
}

const FIELDS = `financial_authorisation.id::text AS id, subject_code AS "subjectCode", client_id AS "clientId",
  ${isoTimestamp('granted_at')} AS "grantedAt", valid_until::text AS "validUntil",
  CASE WHEN revoked_at IS NULL THEN NULL ELSE ${isoTimestamp('revoked_at')} END AS "revokedAt", revocation_note AS "revocationNote"`;

export async function readAuthorisation(q: Queryable, id: string): Promise<FinancialAuthorisation | null> {
  const [row] = await q.query<FinancialAuthorisation>(`SELECT ${FIELDS} FROM financial_authorisation WHERE id = $1::bigint`, [id]);
  return row ?? null;
}

export function statusOf(authorisation: FinancialAuthorisation, today: string = todayInChina()): AuthorisationStatus {
  if (authorisation.revokedAt !== null) return 'REVOKED';
  return authorisation.validUntil < today ? 'EXPIRED' : 'ACTIVE';
}

export async function grantAuthorisation(db: Database, input: GrantInput, caller: ForwardedIdentity): Promise<FinancialAuthorisation> {
  const subjectCode = requireSubjectCode(input.subjectCode);
  const clientId = requireText('clientId', input.clientId, 100);
  const validUntil = requireDate('validUntil', input.validUntil);
  const today = todayInChina();
  if (validUntil < today) throw refuse('INVALID_INPUT', `validUntil (${validUntil}) is in the past`, { field: 'validUntil' });
  return createOnce(db, {
    table: 'financial_authorisation',
    mutation: 'grantFinancialAuthorisation',
    key: requireIdempotencyKey(input.idempotencyKey),
    // client_id is the bank's here; the key belongs to the client recording the grant.
    client: clientScope(caller),
    clientColumn: 'request_client_id',
    payload: { subjectCode, clientId, validUntil },
    read: readAuthorisation,
    create: async (tx, requestFingerprint) => {
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO financial_authorisation (subject_code, client_id, valid_until, idempotency_key, request_fingerprint, request_client_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
        [subjectCode, clientId, validUntil, input.idempotencyKey, requestFingerprint, clientScope(caller)],
      );
      return row!.id;
    },
  });
}

export async function revokeAuthorisation(db: Database, id: string, note: string): Promise<FinancialAuthorisation> {
  const rowId = parseRowId(id);
  if (!rowId) throw notFound('financial authorisation', id);
  const text = requireText('note', note);
  const [updated] = await db.query<{ id: string }>(
    `UPDATE financial_authorisation SET revoked_at = now(), revocation_note = $2 WHERE id = $1::bigint AND revoked_at IS NULL RETURNING id::text AS id`,
    [rowId, text],
  );
  if (!updated) {
    const existing = await readAuthorisation(db, rowId);
    if (!existing) throw notFound('financial authorisation', id);
    throw refuse('INVALID_TRANSITION', `financial authorisation ${id} was already revoked at ${existing.revokedAt}`);
  }
  return (await readAuthorisation(db, rowId))!;
}

/** Which of `codes` have an authorisation in force for the client today: one statement for the batch. */
export async function authorisedSubjects(q: Queryable, clientId: string, codes: readonly string[], today: string = todayInChina()): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await q.query<{ code: string }>(
    `SELECT DISTINCT subject_code AS code FROM financial_authorisation
      WHERE client_id = $1 AND subject_code = ANY($2::text[]) AND revoked_at IS NULL AND valid_until >= $3::date`,
    [clientId, codes, today],
  );
  return new Set(rows.map((row) => row.code));
}

const authorisationsOfSubject = perRequest((db) =>
  rowsBySubject<FinancialAuthorisation>(
    db,
    `SELECT subject_code, ${FIELDS} FROM financial_authorisation WHERE subject_code = ANY($1::text[]) ORDER BY financial_authorisation.id`,
  ),
);

type Context = SubgraphContext<unknown>;

export const authorisationResolvers: ResolverMap = {
  Mutation: {
    grantFinancialAuthorisation: (_root: unknown, args: { input: GrantInput }, context: Context) => grantAuthorisation(context.db, args.input, context.caller),
    revokeFinancialAuthorisation: (_root: unknown, args: { id: string; note: string }, context: Context) =>
      revokeAuthorisation(context.db, args.id, args.note),
  },
  Subject: {
    financialAuthorisations: (subject: { code: string }, _args: unknown, context: Context) => authorisationsOfSubject(context).load(subject.code),
  },
  FinancialAuthorisation: {
    status: (authorisation: FinancialAuthorisation) => statusOf(authorisation),
  },
};
