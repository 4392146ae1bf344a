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
import { identitySigningKey, subgraphConfig } from '../../lib/config';
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

/** The department's records of `code`, as the evidence of a check has them. */
export async function departmentRecords(
  department: RecordDepartment,
  code: string,
  purpose: string,
): Promise<NonNullable<Evidence[keyof Evidence]>> {
  const key = identitySigningKey();
  if (!key) throw unavailable(department, 'no IDENTITY_SIGNING_KEY to sign the request with');
  const field = fieldOf(department);
  const url = departmentUrl(department);
  const request = JSON.stringify({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { ${field} { ${EVIDENCE_FIELDS[field]} } } } }`,
    variables: { r: [{ __typename: 'CreditCheck', code }] },
  });
  const signed = signedHeaders(gatewayIdentity(purpose, crypto.randomUUID(), ['records']), key, { audience: subgraphOf(department), method: 'POST', url, body: request });
  let body: { data?: { _entities?: ({ [field: string]: unknown } | null)[] }; errors?: { message: string }[] };
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body: request,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    body = (await response.json()) as typeof body;
  } catch (error) {
    throw unavailable(department, (error as Error).message);
  }
  const records = body.data?._entities?.[0]?.[field];
  if (body.errors?.length || !records) throw unavailable(department, body.errors?.[0]?.message ?? 'no records in its answer');
  return records as NonNullable<Evidence[keyof Evidence]>;
}

/**
 * Tells the department what a workflow decided about its record (a dispute
 * mark, its removal, a withdrawal from disclosure; lib/record-status.ts), on
 * its internal endpoint, signed as the gateway signs. Called inside the
 * credit office's transaction before it commits: a department that does not
 * answer refuses the decision (DEPARTMENT_UNAVAILABLE) and nothing is stored;
 * each change is idempotent, so a retried decision sends it again safely.
 * The credit office's own records (credit_commitment/…) have no department
 * to tell.
 */
export async function sendRecordStatus(department: Department, change: RecordStatusChange): Promise<void> {
  if (department === 'CREDIT_OFFICE') return;
  const key = identitySigningKey();
  if (!key) throw unavailable(department, 'no IDENTITY_SIGNING_KEY to sign the request with');
  const url = departmentUrl(department).replace(/\/graphql\/?$/, '') + RECORD_STATUS_PATH;
  const body = JSON.stringify(change);
  const signed = signedHeaders(gatewayIdentity(`record status ${change.change}`), key, { audience: subgraphOf(department), method: 'POST', url, body });
  let status: number;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signed },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    throw unavailable(department, (error as Error).message);
  }
  if (status !== 200) throw unavailable(department, `its record-status endpoint answered ${status}`);
}
