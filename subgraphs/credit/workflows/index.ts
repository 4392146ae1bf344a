/**
 * The credit office's workflows (objections, credit repair, credit
 * commitments, joint cases and feedback): their store functions, the status
 * functions the credit-check engine reads, and one resolver map.
 */
import { mergeResolverMaps } from '../../../lib/resolvers';
import { objectionResolvers } from './objections';
import { repairResolvers } from './repairs';
import { repairListResolvers } from './repair-list';
import { commitmentResolvers } from './commitments';
import { feedbackResolvers } from './feedback';
import { filingResolvers } from './filing-codes';

export * from './objections';
export * from './repairs';
export * from './repair-list';
export * from './commitments';
export * from './feedback';
export * from './status';
export * from './filing-codes';

export const workflowResolvers = mergeResolverMaps(objectionResolvers, repairResolvers, repairListResolvers, commitmentResolvers, feedbackResolvers, filingResolvers);
