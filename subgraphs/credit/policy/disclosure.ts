/**
 * Disclosure windows: what the public sees of a department's records (a
 * penalty within its publication period, a licence while valid, a list entry
 * in force, a dishonest debtor not removed). Defined once in lib/disclosure.ts,
 * where every department subgraph applies it to its own rows (a department
 * never imports the credit office's code); re-exported here so the policy
 * holds every rule.
 *
 * Source: 甘州 二(三), 柴桑 (十六) (double publicity); DESIGN.md «Decisions»
 * ("Disclosure follows decisions").
 */
export { isDisclosed, disclosedTo, seesAllRecords, type DisclosureRule } from '../../../lib/disclosure';
