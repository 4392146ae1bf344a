/**
 * The credit office's vocabulary, shared by the measures catalogue, the
 * credit checks and the workflows: departments, scenarios, and the kinds of
 * record (triggers) that measures are applied for. The names are the enum
 * values of schema/credit.graphql.
 */

export const DEPARTMENTS = ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const SCENARIOS = [
  'ADMINISTRATIVE_LICENSING',
  'PUBLIC_RESOURCE_TRADING',
  'FINANCIAL_SERVICES',
  'FISCAL_SUPPORT',
  'HONORS_AND_AWARDS',
  'REGULATORY_INSPECTION',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export type MeasureKind = 'INCENTIVE' | 'PUNISHMENT';
export type MeasureChannel = 'ADMINISTRATIVE' | 'MARKET' | 'INDUSTRY' | 'SOCIAL';
/**
 * How an applied measure bears on the verdict of a check: PROHIBIT (the
 * application must be refused) → PROHIBITED; RESTRICT (granted only under
 * conditions: strict review, higher rates, no simplified procedure) →
 * RESTRICTED; FACILITATE (green channel, priority, better terms) → INCENTIVE.
 */
export type MeasureEffect = 'PROHIBIT' | 'RESTRICT' | 'FACILITATE';

// Triggers, their polarity and departments are credit policy (policy/triggers.ts); re-exported for the vocabulary's users.
export { TRIGGERS, TRIGGER_NAMES, type Trigger, type TriggerDefinition, type TriggerPolarity } from './policy/triggers';

/**
 * A department's record as the credit office refers to it (in list entries,
 * objections, repairs and measures): the department and the record's id in
 * that department, `<table>/<natural key>` — e.g. COURTS,
 * `dishonest_debtor/91110105MA0000YY08/（2024）京0105执1234号`.
 */
export interface RecordRef {
  department: Department;
  recordId: string;
}

// How the catalogue names the departments among a measure's implementing departments is credit policy (policy/joint-cases.ts).
export { DETERMINING_DEPARTMENT, IMPLEMENTER_NAMES } from './policy/joint-cases';

export const recordKey = (ref: RecordRef): string => `${ref.department}:${ref.recordId}`;
