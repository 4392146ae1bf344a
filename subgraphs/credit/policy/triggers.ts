/**
 * Triggers: the kinds of record a measure can be applied for, who holds them
 * and their polarity (adverse records punish, creditworthy ones reward).
 * A check finds them in the departments' live records, in the list entries
 * in force (policy/lists.ts) and in the credit office's own records; the
 * measures catalogue says which measures each one triggers in which scenario.
 *
 * Source: DESIGN.md «The credit platform's rules» (red list: tax rating A,
 * credit models; black list: dishonest judgment debtors, major tax violation
 * parties, the serious illegal and dishonest list, serious environmental
 * violators, breach of a credit commitment, serious penalties in food/drug,
 * environment, construction, work safety, fire; key attention: dishonest
 * conduct below the black-list threshold), 国发〔2016〕33号 (joint incentives
 * and punishments), the catalogue's legal bases (migration 002).
 */
import type { Department } from '../vocabulary';

/** What a trigger says about a subject: adverse records punish, creditworthy ones reward. */
export type TriggerPolarity = 'ADVERSE' | 'CREDITWORTHY';

export interface TriggerDefinition {
  /** Departments whose records can be this trigger (the initiating department of the measures it triggers). */
  departments: readonly Department[];
  polarity: TriggerPolarity;
  description: string;
}

export const TRIGGERS = {
  DISHONEST_JUDGMENT_DEBTOR: { departments: ['COURTS'], polarity: 'ADVERSE', description: 'On the list of dishonest judgment debtors (失信被执行人)' },
  CONSUMPTION_RESTRICTION: { departments: ['COURTS'], polarity: 'ADVERSE', description: 'Bound by a consumption restriction order (限制消费令), also as legal representative' },
  MAJOR_TAX_VIOLATION: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Party to a published major tax violation case (重大税收违法失信主体)' },
  TAX_RATING_D: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Latest tax credit rating D (key-attention list)' },
  TAX_ARREARS: { departments: ['TAX'], polarity: 'ADVERSE', description: 'Named in an unsettled tax arrears notice (欠税公告)' },
  SERIOUS_VIOLATION_LIST: { departments: ['MARKET'], polarity: 'ADVERSE', description: 'On the serious illegal and dishonest list (严重违法失信名单)' },
  ABNORMAL_OPERATIONS: { departments: ['MARKET'], polarity: 'ADVERSE', description: 'On the abnormal operations list (经营异常名录)' },
  SERIOUS_PENALTY: {
    departments: ['MARKET', 'ENVIRONMENT'],
    polarity: 'ADVERSE',
    description:
      'A serious administrative penalty still within its publication period in a black-list area: food and drug, construction, work safety (special equipment included), fire safety; every serious environmental penalty',
  },
  ADMINISTRATIVE_PENALTY: {
    departments: ['MARKET', 'ENVIRONMENT'],
    polarity: 'ADVERSE',
    description: 'An administrative penalty below the black-list threshold still within its publication period (key-attention list)',
  },
  ENVIRONMENTAL_RATING_BLACK: { departments: ['ENVIRONMENT'], polarity: 'ADVERSE', description: 'Latest environmental credit rating BLACK (serious dishonesty)' },
  ENVIRONMENTAL_RATING_RED: { departments: ['ENVIRONMENT'], polarity: 'ADVERSE', description: 'Latest environmental credit rating RED (bad)' },
  COMMITMENT_BREACH: { departments: ['CREDIT_OFFICE'], polarity: 'ADVERSE', description: 'Breached a credit commitment (信用承诺) made to obtain a service' },
  // 凌源 三(五): a subject that does not rectify by the determining department's deadline is put under key attention.
  RECTIFICATION_OVERDUE: {
    departments: ['CREDIT_OFFICE'],
    polarity: 'ADVERSE',
    description: 'Did not rectify by the deadline of a rectification order (逾期未整改); the credit office lists it for key attention until it rectifies',
  },
  // The determination is the entity's: the department that black-listed it initiates the person's measures too.
  REPRESENTS_BLACKLISTED_ENTITY: {
    departments: ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT', 'CREDIT_OFFICE'],
    polarity: 'ADVERSE',
    description:
      'Legal representative of an entity on the black list, by its list entry or by a department record the list rules black-list (the person carries the person-level measures; the determining department initiates them)',
  },
  TAX_RATING_A: { departments: ['TAX'], polarity: 'CREDITWORTHY', description: 'Latest tax credit rating A (red list)' },
  ENVIRONMENTAL_RATING_GREEN: { departments: ['ENVIRONMENT'], polarity: 'CREDITWORTHY', description: 'Latest environmental credit rating GREEN (trustworthy)' },
  CONTRACT_HONOURING: {
    departments: ['MARKET'],
    polarity: 'CREDITWORTHY',
    description: 'Recognised and publicised as a contract-honouring, credit-keeping enterprise (守合同重信用企业, red list), while the recognition is valid',
  },
  NO_ADVERSE_RECORD_3_YEARS: {
    departments: ['MARKET', 'TAX', 'COURTS', 'ENVIRONMENT'],
    polarity: 'CREDITWORTHY',
    description: 'Registered for three years and no adverse record in any department for three consecutive years',
  },
} as const satisfies Record<string, TriggerDefinition>;

export type Trigger = keyof typeof TRIGGERS;
export const TRIGGER_NAMES = Object.keys(TRIGGERS) as Trigger[];

export const isAdverse = (trigger: Trigger): boolean => TRIGGERS[trigger].polarity === 'ADVERSE';

/** Whether `department` holds records that can be `trigger` (and so may initiate its measures). */
export const heldBy = (trigger: Trigger, department: Department): boolean => (TRIGGERS[trigger].departments as readonly Department[]).includes(department);
