/**
 * The credit policy: every rule of the seeds that decides something, each in
 * its own file with the seed requirement it implements, and one calendar.
 * docs/policy.md lists every rule with its source, its place here and its test.
 * Nothing else in the code decides these things: the checks, the workflows,
 * the lists, supervision and the seed call these functions.
 */
export * from './calendar';
export * from './triggers';
export * from './penalties';
export * from './lists';
export * from './three-years';
export * from './incentives';
export * from './repair';
export * from './objection';
export * from './supervision';
export * from './commitments';
export * from './rectification';
export * from './joint-cases';
export * from './publicity';
export * from './disclosure';
export * from './verdict';
export * from './catalogue';
export * from './reports';
