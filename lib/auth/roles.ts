/**
 * The roles of the API (fixed by API.md) and the scopes each one holds, as
 * data in one place: the gateway's field-level authorisation, the subgraphs'
 * checks and the tests' role × field matrix all read this table, so what a
 * role may see is decided here and nowhere else.
 *
 * A scope names a kind of information or operation, not a field: each
 * department marks its own fields with the scope they need, and a role is
 * given the scopes that match what its callers need (DESIGN.md, "Who calls
 * it, and what each needs"). The reasoning for each role is beside it.
 */

export const ROLES = [
  'PUBLIC',
  'APPROVAL_SYSTEM',
  'TRADING_PLATFORM',
  'FINANCIAL_INSTITUTION',
  'DEPARTMENT',
  'CREDIT_OFFICE',
  'DEVELOPER',
] as const;
export type Role = (typeof ROLES)[number];

/** The roles a credential (API key or JWT) may carry: PUBLIC is what having no credential means, never something issued. */
export const CREDENTIAL_ROLES = ROLES.filter((role): role is Exclude<Role, 'PUBLIC'> => role !== 'PUBLIC');
export type CredentialRole = (typeof CREDENTIAL_ROLES)[number];

/**
 * Not a client role: the identity the gateway signs for itself when it calls
 * a subgraph's internal endpoints (e.g. to look up an API key). No credential
 * can carry it; only a holder of IDENTITY_SIGNING_KEY can sign it.
 */
export const GATEWAY_SERVICE_ROLE = 'GATEWAY';

export const SCOPES = [
  /** Publicly disclosed information: the lists, licences and penalties within their publication period, basic registration. */
  'public',
  /** Non-public department records: full penalty history, enforcement cases, arrears, rating detail. */
  'records',
  /** Tax figures. A FINANCIAL_INSTITUTION holds it only together with the subject's recorded, unexpired consent (enforced where the figures are served). */
  'tax:detail',
  /** Unmasked names and resident ID numbers of natural persons. */
  'personal',
  /** creditCheck / creditChecks. */
  'checks',
  /** submitFeedback: an implementing body reports what it did with a check's measures. */
  'feedback',
  /** Objections, repair, commitments, joint cases. */
  'workflows',
  /** publishListEntry / endListEntry. */
  'lists:publish',
  /** publishMeasureCatalogue. */
  'catalogue:publish',
  /** Reading the audit log. */
  'audit',
  /** Granting and revoking a subject's authorisation of a financial institution. */
  'consent',
  /** creditStatistics, publication timeliness, supervision figures. */
  'statistics',
  /** Schema introspection and the playground in production mode. */
  'introspection',
] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  // No credential: exactly what the rules publish, nothing more.
  PUBLIC: ['public'],

  // "Check before you approve": one subject, a verdict with its measures and
  // their trigger records (so non-public records), and the feedback of what
  // was done against the check id. The legal representative stays masked
  // (the README's worked example): an approval needs the verdict, not the
  // person's identity number, so no `personal`.
  APPROVAL_SYSTEM: ['public', 'records', 'checks', 'feedback'],

  // Bidding platforms need a fast verdict per bidder and must report the bars
  // they applied; the verdict and measures are enough to exclude a bidder, so
  // the department records behind them stay closed (no `records`).
  TRADING_PLATFORM: ['public', 'checks', 'feedback'],

  // "Only what they are authorised for": checks for FINANCIAL_SERVICES and
  // tax detail, the latter only while the subject's authorisation of this
  // bank is on record (enforced where tax figures are served, not here).
  // Nothing else non-public: no department records, no personal data.
  FINANCIAL_INSTITUTION: ['public', 'checks', 'tax:detail'],

  // Department staff publish determinations to the lists, verify objections
  // and repairs (which needs the records and the people they name), report
  // as implementing departments, and track their own statistics. Tax
  // figures stay with the tax authority and the credit office.
  DEPARTMENT: ['public', 'records', 'personal', 'workflows', 'lists:publish', 'feedback', 'statistics'],

  // The credit office runs the platform: everything but the developer's tooling.
  CREDIT_OFFICE: SCOPES.filter((scope) => scope !== 'introspection'),

  // The playground and the schema, over public data only.
  DEVELOPER: ['public', 'introspection'],
};

/** The departments a DEPARTMENT client can be registered for: each holds its own records. */
export const RECORD_DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT'] as const;
export type RecordDepartmentName = (typeof RECORD_DEPARTMENTS)[number];

export function isRecordDepartment(value: unknown): value is RecordDepartmentName {
  return typeof value === 'string' && (RECORD_DEPARTMENTS as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isCredentialRole(value: unknown): value is CredentialRole {
  return isRole(value) && value !== 'PUBLIC';
}

export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

export function scopesOf(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export function roleHasScope(role: Role, scope: Scope): boolean {
  return ROLE_SCOPES[role].includes(scope);
}
