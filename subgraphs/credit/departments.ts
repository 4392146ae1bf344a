/**
 * The credit office asking a department for a subject's records, by the
 * existing evidence path: the department's `CreditCheck` entity (keyed by
 * the subject's code), whose profile is the full record set a check decides
 * on, never filtered by who asks. Used where a mutation must check a
 * department's record itself (publishListEntry against the list rules),
 * rather than trusting what the caller states.
 *
 * The request is signed as the gateway signs (IDENTITY_SIGNING_KEY), for
 * that department and that very request: every department subgraph answers
 * only such requests. A department that does
 * not answer refuses the mutation (DEPARTMENT_UNAVAILABLE): nothing is
 * stored on an unchecked record.
 */
import crypto from 'node:crypto';
import { GraphQLError } from 'graphql';
import { gatewayConfig, identitySigningKey, subgraphConfig } from '../../lib/config';
import { gatewayIdentity, signedHeaders } from '../../lib/auth/identity-header';
import { RECORD_STATUS_PATH, type RecordStatusChange } from '../../lib/record-status';
import { DEPARTMENTS, type SubgraphName } from '../../lib/departments';
import { EVIDENCE_DEPARTMENTS, EVIDENCE_FIELDS, type Evidence } from './checks/evidence';
import type { Department } from './vocabulary';

export type RecordDepartment = Exclude<Department, 'CREDIT_OFFICE'>;

const TIMEOUT_MS = 5000;

function subgraphOf(department: RecordDepartment): SubgraphName {
  return DEPARTMENTS.find((d) => d.department === department)!.name;
}

const fieldOf = (department: RecordDepartment): keyof Evidence =>
  (Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[]).find((field) => EVIDENCE_DEPARTMENTS[field] === department)!;

/** The department's GraphQL URL: `<NAME>_SUBGRAPH_URL` (as the gateway and `npm start` set it), else its default port on this host. */
export function departmentUrl(department: RecordDepartment, env: NodeJS.ProcessEnv = process.env): string {
  const name = subgraphOf(department);
  return env[`${name.toUpperCase()}_SUBGRAPH_URL`] || `http://127.0.0.1:${subgraphConfig(name, env).port}/graphql`;
}

function unavailable(department: Department, why: string): GraphQLError {
  return new GraphQLError(`the ${department} department did not answer (${why}); its record could not be checked, nothing was stored`, {
    extensions: { code: 'DEPARTMENT_UNAVAILABLE', department },
  });
}

type EntitiesAnswer = { data?: { _entities?: ({ [field: string]: unknown } | null)[] }; errors?: { message: string }[] };

/**
 * The department's records of each of `codes` (same order), as the evidence of
 * a check has them: one signed `_entities` request for the whole batch.
 * Throws DEPARTMENT_UNAVAILABLE when the department does not answer with them.
 */
async function askDepartment(department: RecordDepartment, codes: readonly string[], purpose: string, timeoutMs: number): Promise<NonNullable<Evidence[keyof Evidence]>[]> {
  const key = identitySigningKey();
  if (!key) throw unavailable(department, 'no IDENTITY_SIGNING_KEY to sign the request with');
  const field = fieldOf(department);
  const url = departmentUrl(department);
  const request = JSON.stringify({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { ${field} { ${EVIDENCE_FIELDS[field]} } } } }`,
    variables: { r: codes.map((code) => ({ __typename: 'CreditCheck', code })) },
  });
  // The credit office decides on the full record, persons' numbers included (it holds `personal`; what it answers
  // is masked at the gateway's last step for callers without it).
  const signed = signedHeaders(gatewayIdentity(purpose, crypto.randomUUID(), ['records', 'personal']), key, { audience: subgraphOf(department), method: 'POST', url, body: request });
  let body: EntitiesAnswer;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = (await response.json()) as EntitiesAnswer;
  } catch (error) {
    throw unavailable(department, (error as Error).message);
  }
  const records = codes.map((_, i) => body.data?._entities?.[i]?.[field]);
  if (body.errors?.length || records.some((r) => !r)) throw unavailable(department, body.errors?.[0]?.message ?? 'no records in its answer');
  return records as NonNullable<Evidence[keyof Evidence]>[];
}

/** The department's records of `code`, as the evidence of a check has them. */
export async function departmentRecords(
  department: RecordDepartment,
  code: string,
  purpose: string,
): Promise<NonNullable<Evidence[keyof Evidence]>> {
  return (await askDepartment(department, [code], purpose, TIMEOUT_MS))[0]!;
}

/**
 * The resident identity number of each organisation's legal representative,
 * as market supervision registered it (null: none registered), asked of it
 * directly: the evidence a check received through the gateway carries the
 * number masked for a caller without `personal`, and the check must know
 * whom it answers for whoever asks (found by a black-box review: an approval
 * system was answered INCENTIVE where the credit office got RESTRICTED).
 * Throws DEPARTMENT_UNAVAILABLE when market supervision does not answer.
 */
export async function legalRepresentatives(codes: readonly string[], purpose: string): Promise<Map<string, string | null>> {
  if (codes.length === 0) return new Map();
  const timeoutMs = Math.max(1, Math.floor(gatewayConfig().subgraphTimeoutMs / 2));
  const answers = (await askDepartment('MARKET', codes, purpose, timeoutMs)) as NonNullable<Evidence['market']>[];
  return new Map(codes.map((code, i) => [code, answers[i]!.registration?.legalRepresentative?.residentId ?? null]));
}

/**
 * What every department holds on each of `codes`, as a check's evidence: one
 * request per department, all in parallel. A department that does not answer
 * (or is in `skip`: known not to have answered this check already) is null in
 * every code's evidence, as when it does not answer the gateway — the check
 * then fails closed. Answers within half the gateway's own wait for a subgraph
 * (SUBGRAPH_TIMEOUT_MS), so the check that asks still answers the gateway in time.
 */
export async function departmentEvidence(codes: readonly string[], purpose: string, skip: ReadonlySet<keyof Evidence> = new Set()): Promise<Map<string, Evidence>> {
  const timeoutMs = Math.max(1, Math.floor(gatewayConfig().subgraphTimeoutMs / 2));
  const fields = Object.keys(EVIDENCE_DEPARTMENTS) as (keyof Evidence)[];
  const answers = await Promise.all(
    fields.map(async (field) => {
      if (skip.has(field) || codes.length === 0) return null;
      try {
        return await askDepartment(EVIDENCE_DEPARTMENTS[field], codes, purpose, timeoutMs);
      } catch {
        return null;
      }
    }),
  );
  return new Map(
    codes.map((code, i) => [code, Object.fromEntries(fields.map((field, f) => [field, answers[f]?.[i] ?? null])) as unknown as Evidence]),
  );
}

/**
 * Tells the department what a workflow decided about its record (a dispute
 * mark, its removal, a withdrawal from disclosure; lib/record-status.ts), on
 * its internal endpoint, signed as the gateway signs. Only the outbox calls
 * it (workflows/record-status-outbox.ts), after the decision committed; it
 * throws when the department did not take the change, and the outbox sends
 * it again (each change is idempotent at the department).
 */
/**
 * How long a decision waits for its department to take the change: a third of the gateway's wait for the
 * credit office, so the decision, committed first, is answered in time even when the department does not
 * answer (found by a black-box review: the caller was told DEPARTMENT_UNAVAILABLE for a decision that had been
 * made); the outbox sends it again.
 */
const deliveryTimeoutMs = () => Math.max(1, Math.min(TIMEOUT_MS, Math.floor(gatewayConfig().subgraphTimeoutMs / 3)));

export async function sendRecordStatus(department: RecordDepartment, change: RecordStatusChange): Promise<void> {
  const key = identitySigningKey();
  if (!key) throw new Error('no IDENTITY_SIGNING_KEY to sign the request with');
  const url = departmentUrl(department).replace(/\/graphql\/?$/, '') + RECORD_STATUS_PATH;
  const body = JSON.stringify(change);
  const signed = signedHeaders(gatewayIdentity(`record status ${change.change}`), key, { audience: subgraphOf(department), method: 'POST', url, body });
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body,
      signal: AbortSignal.timeout(deliveryTimeoutMs()),
    });
    status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    throw unavailable(department, (error as Error).message);
  }
  if (status !== 200) throw unavailable(department, `its record-status endpoint answered ${status}`);
}
