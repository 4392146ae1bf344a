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

/** What a trigger says about a subject: adverse records punish, creditworthy ones reward. */
export type TriggerPolarity = 'ADVERSE' | 'CREDITWORTHY';

export interface TriggerDefinition {
  /** Departments whose records can be this trigger (the initiating department of the measures it triggers). */
  departments: readonly Department[];
  polarity: TriggerPolarity;
  description: string;
}

/**
 * The kinds of record a measure can be applied for. A check finds them in the
 * departments' live records (and in the credit office's own records for
 * commitments and responsible persons); the catalogue says which measures
 * each one triggers in which scenario.
 */
export const TRIGGERS = {
  DISHONEST_JUDGMENT_DEBTOR: { departments: ['COURTS'], polarity: 'ADVERSE', description: 'On the list of dishonest judgment debtors (失信被执行人)' },
  CONSUMPTION_RESTRICTION: { departments: ['COURTS'], polarity: 'ADVERSE', description: 'Bound by a consumption restriction order (限制消费令), also as legal representative' },
  MAJOR_TAX_VIOLATION: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Party to a published major tax violation case (重大税收违法失信主体)' },
  TAX_RATING_D: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Latest tax credit rating D' },
  TAX_ARREARS: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Named in an unsettled tax arrears notice (欠税公告)' },
  SERIOUS_VIOLATION_LIST: { departments: ['MARKET'], polarity: 'ADVERSE', description: 'On the serious illegal and dishonest list (严重违法失信名单)' },
  ABNORMAL_OPERATIONS: { departments: ['MARKET'], polarity: 'ADVERSE', description: 'On the abnormal operations list (经营异常名录)' },
  SERIOUS_PENALTY: {
    departments: ['MARKET', 'ENVIRONMENT'],
    polarity: 'ADVERSE',
    description: 'A serious administrative penalty still within its publication period (food and drug, environment, construction, work safety, fire)',
  },
  ADMINISTRATIVE_PENALTY: { departments: ['MARKET', 'ENVIRONMENT'], polarity: 'ADVERSE', description: 'An administrative penalty still within its publication period' },
  ENVIRONMENTAL_RATING_BLACK: { departments: ['ENVIRONMENT'], polarity: 'ADVERSE', description: 'Latest environmental credit rating BLACK (serious dishonesty)' },
  ENVIRONMENTAL_RATING_RED: { departments: ['ENVIRONMENT'], polarity: 'ADVERSE', description: 'Latest environmental credit rating RED (bad)' },
  COMMITMENT_BREACH: { departments: ['CREDIT_OFFICE'], polarity: 'ADVERSE', description: 'Breached a credit commitment (信用承诺) made to obtain a service' },
  REPRESENTS_BLACKLISTED_ENTITY: {
    departments: ['CREDIT_OFFICE'],
    polarity: 'ADVERSE',
    description: 'Legal representative of an entity on the black list (the person carries the person-level measures)',
  },
  TAX_RATING_A: { departments: ['TAX'], polarity: 'CREDITWORTHY', description: 'Latest tax credit rating A (red list)' },
  ENVIRONMENTAL_RATING_GREEN: { departments: ['ENVIRONMENT'], polarity: 'CREDITWORTHY', description: 'Latest environmental credit rating GREEN (trustworthy)' },
  NO_ADVERSE_RECORD_3_YEARS: {
    departments: ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT'],
    polarity: 'CREDITWORTHY',
    description: 'No adverse record in any department for three consecutive years',
  },
} as const satisfies Record<string, TriggerDefinition>;

export type Trigger = keyof typeof TRIGGERS;
export const TRIGGER_NAMES = Object.keys(TRIGGERS) as Trigger[];

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

export const recordKey = (ref: RecordRef): string => `${ref.department}:${ref.recordId}`;
