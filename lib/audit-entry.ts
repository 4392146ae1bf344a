/**
 * One audit log entry as the gateway produces it and ships it to the credit
 * office (`POST /internal/audit` of the credit subgraph): who asked (client,
 * role), why (X-Purpose), what (operation, subjects, field groups), when, and
 * how it ended. Shared by the gateway's writer (gateway/audit/writer.ts) and
 * the credit subgraph's endpoint (subgraphs/credit/audit-routes.ts), so both
 * sides validate the same shape.
 */

export interface AuditEntry {
  /** UUID the gateway assigns when it records the entry; re-delivering it stores nothing new. */
  entryId: string;
  /** When the request happened (for an aggregate, its first request), ISO-8601 with an offset (the writer uses UTC, millisecond precision). */
  at: string;
  /** The id the gateway gave the request (for an aggregate, its first request's). */
  requestId: string;
  /** The client's own x-request-id, when it sent a plain one; null otherwise. Absent in entries of older gateways (null). */
  clientRequestId?: string | null;
  /** The address the request came from, as the gateway saw it; null when unknown. Absent in older entries (null). */
  sourceAddress?: string | null;
  /**
   * How many requests the entry stands for: 1, or more for an aggregate —
   * the requests refused before an operation was considered (bad or missing
   * credentials, rate limits, unreadable bodies) from one address, client and
   * outcome within a minute. Absent in older entries (1).
   */
  count?: number;
  /** API key id or JWT subject; null for PUBLIC (and for requests refused before identification). */
  clientId: string | null;
  /** PUBLIC, APPROVAL_SYSTEM, ... (shared/API.md); the pipeline records what it authenticated. */
  role: string;
  /** X-Purpose of the request; required for non-public roles (the gateway enforces that, not this format). */
  purpose: string | null;
  operationName: string | null;
  /** Subject codes the request named or received (normalised, upper case). */
  subjects: string[];
  /** Field groups the request touched, e.g. AUDIT_FIELD_GROUPS. */
  fieldGroups: string[];
  /** One of AUDIT_OUTCOMES (or another UPPER_CASE code). */
  outcome: string;
}

/** Field groups the gateway is expected to record (any lower-case name is accepted). */
export const AUDIT_FIELD_GROUPS = ['registration', 'market', 'tax', 'courts', 'environment', 'lists', 'checks', 'catalogue', 'workflows', 'supervision', 'statistics', 'audit', 'personal_data'] as const;

/**
 * Outcomes of a request: OK (answered), PARTIAL (answered with some fields
 * null: FORBIDDEN fields or a department unavailable), FORBIDDEN (nothing
 * answered: not allowed), UNAUTHENTICATED (bad credential), BAD_USER_INPUT,
 * RATE_LIMITED, QUERY_TOO_COMPLEX, REQUEST_TOO_LARGE (413),
 * DEPARTMENT_UNAVAILABLE (nothing answered: the departments asked did not),
 * SERVICE_UNAVAILABLE (the credential could not be checked), ERROR
 * (internal). Any UPPER_CASE code is accepted so a new error code does not
 * make the entry undeliverable.
 */
export const AUDIT_OUTCOMES = [
  'OK',
  'PARTIAL',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
  'REQUEST_TOO_LARGE',
  'DEPARTMENT_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'ERROR',
] as const;

/** Most entries one delivery may carry. */
export const MAX_AUDIT_BATCH = 1000;
/** Most subject codes one entry may name (a spot-check population is up to 10,000). */
export const MAX_AUDIT_SUBJECTS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ISO-8601 date-time with an explicit offset (one instant wherever it is read), at most millisecond precision (the hash chain's canonical form). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const CODE_WORD = /^[A-Z][A-Z0-9_]*$/;
const GROUP = /^[a-z][a-z0-9_.-]*$/;

const FIELDS: readonly (keyof AuditEntry)[] = ['entryId', 'at', 'requestId', 'clientRequestId', 'sourceAddress', 'count', 'clientId', 'role', 'purpose', 'operationName', 'subjects', 'fieldGroups', 'outcome'];

/** Characters (code points, as the gateway counts a purpose: an emoji is one) of a text. */
const characterCount = (text: string) => Array.from(text).length;

/** Longest texts an entry holds (characters): a longer value is cut to fit by auditText. */
export const AUDIT_TEXT_LIMITS = { requestId: 200, clientRequestId: 200, sourceAddress: 100, clientId: 200, purpose: 500, operationName: 200 } as const;

/**
 * A text as an entry stores it: control characters and lone surrogates (which PostgreSQL cannot
 * store, and which would make the whole batch undeliverable) become U+FFFD, an empty text is
 * null, and a text longer than `max` characters (code points) is cut to `max` with '…' last. A client
 * chooses its operation name, its purpose and its request id: none of them may make the entry
 * invalid, or the request would go unrecorded.
 */
export function auditText(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (clean.length === 0) return null;
  const characters = Array.from(clean);
  if (characters.length <= max) return clean;
  return `${characters.slice(0, max - 1).join('')}…`;
}

/** Most requests one aggregate entry may stand for. */
export const MAX_AUDIT_COUNT = 1_000_000_000;

function text(value: unknown, name: string, max: number, problems: string[], nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'string') {
    problems.push(`${name} must be a string${nullable ? ' or null' : ''}, got ${describe(value)}`);
  } else if (value.length === 0 || characterCount(value) > max) {
    problems.push(`${name} must be 1 to ${max} characters, got ${characterCount(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Every problem of one entry (empty when it is valid), each naming the field. */
export function auditEntryProblems(entry: unknown, label = 'entry'): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return [`${label} must be an object, got ${describe(entry)}`];
  const e = entry as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(e).filter((key) => !FIELDS.includes(key as keyof AuditEntry));
  if (unknown.length > 0) problems.push(`unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (typeof e.entryId !== 'string' || !UUID.test(e.entryId)) problems.push(`entryId must be a UUID, got ${JSON.stringify(e.entryId ?? null)}`);
  if (typeof e.at !== 'string' || !ISO_INSTANT.test(e.at) || Number.isNaN(Date.parse(e.at))) {
    problems.push(`at must be an ISO-8601 date-time with an offset (e.g. 2026-05-01T08:00:00.000Z), got ${JSON.stringify(e.at ?? null)}`);
  }
  text(e.requestId, 'requestId', AUDIT_TEXT_LIMITS.requestId, problems, false);
  if (e.clientRequestId !== undefined) text(e.clientRequestId, 'clientRequestId', AUDIT_TEXT_LIMITS.clientRequestId, problems, true);
  if (e.sourceAddress !== undefined) text(e.sourceAddress, 'sourceAddress', AUDIT_TEXT_LIMITS.sourceAddress, problems, true);
  if (e.count !== undefined && (typeof e.count !== 'number' || !Number.isInteger(e.count) || e.count < 1 || e.count > MAX_AUDIT_COUNT)) {
    problems.push(`count must be a whole number from 1 to ${MAX_AUDIT_COUNT}, got ${JSON.stringify(e.count)}`);
  }
  text(e.clientId, 'clientId', AUDIT_TEXT_LIMITS.clientId, problems, true);
  if (typeof e.role !== 'string' || !CODE_WORD.test(e.role) || e.role.length > 40) problems.push(`role must be an UPPER_CASE role name, got ${JSON.stringify(e.role ?? null)}`);
  text(e.purpose, 'purpose', AUDIT_TEXT_LIMITS.purpose, problems, true);
  text(e.operationName, 'operationName', AUDIT_TEXT_LIMITS.operationName, problems, true);
  if (!Array.isArray(e.subjects)) problems.push(`subjects must be an array of subject codes, got ${describe(e.subjects)}`);
  else if (e.subjects.length > MAX_AUDIT_SUBJECTS) problems.push(`subjects may name at most ${MAX_AUDIT_SUBJECTS} codes, got ${e.subjects.length}`);
  else {
    const bad = e.subjects.findIndex((s) => typeof s !== 'string' || s.length === 0 || s.length > 64);
    if (bad >= 0) problems.push(`subjects[${bad}] must be a code of 1 to 64 characters, got ${JSON.stringify(e.subjects[bad])}`);
  }
  if (!Array.isArray(e.fieldGroups)) problems.push(`fieldGroups must be an array of names, got ${describe(e.fieldGroups)}`);
  else if (e.fieldGroups.length > 100) problems.push(`fieldGroups may name at most 100 groups, got ${e.fieldGroups.length}`);
  else {
    const bad = e.fieldGroups.findIndex((g) => typeof g !== 'string' || !GROUP.test(g) || g.length > 64);
    if (bad >= 0) problems.push(`fieldGroups[${bad}] must be a lower-case name, got ${JSON.stringify(e.fieldGroups[bad])}`);
  }
  if (typeof e.outcome !== 'string' || !CODE_WORD.test(e.outcome) || e.outcome.length > 40) {
    problems.push(`outcome must be an UPPER_CASE code such as ${AUDIT_OUTCOMES.join(', ')}, got ${JSON.stringify(e.outcome ?? null)}`);
  }
  return problems.map((problem) => `${label}: ${problem}`);
}

export type AuditBatchValidation = { valid: true; entries: AuditEntry[] } | { valid: false; problems: string[] };

/** Validates a delivery body `{ entries: [...] }`: every problem of every entry, or the entries. */
export function validateAuditBatch(body: unknown): AuditBatchValidation {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { entries?: unknown }).entries)) {
    return { valid: false, problems: ['the body must be a JSON object { "entries": [ ... ] }'] };
  }
  const entries = (body as { entries: unknown[] }).entries;
  if (entries.length > MAX_AUDIT_BATCH) return { valid: false, problems: [`a delivery may carry at most ${MAX_AUDIT_BATCH} entries, got ${entries.length}`] };
  const problems = entries.flatMap((entry, index) => auditEntryProblems(entry, `entries[${index}]`));
  // Twenty problems say what is wrong; ten thousand would only fill the log.
  if (problems.length > 0) return { valid: false, problems: problems.length > 20 ? [...problems.slice(0, 20), `... and ${problems.length - 20} more`] : problems };
  return { valid: true, entries: entries as AuditEntry[] };
}
