/**
 * The list of credit repair applications (`Query.repairApplications`), for the
 * console's desk: which applications wait for a decision. Read exactly as
 * objections are (objections.ts `objections`): a DEPARTMENT client reads the
 * applications for its own department's records, the credit office every one.
 */
import type { Queryable } from '../../../lib/db';
import type { ResolverMap, SubgraphContext } from '../../../lib/subgraph';
import type { Department } from '../vocabulary';
import { requireReadsWorkflowsOf, workflowDepartmentOf } from '../callers';
import { decodeIdCursor, idPage, requirePageSize, sqlFilter } from './common';
import { REPAIR_FIELDS, type RepairApplication, type RepairStatus } from './repairs';

export interface RepairFilter {
  status?: RepairStatus | null;
  department?: Department | null;
}

/** One page of applications in the order they were made, filtered; `limit` rows after the id `after`. */
export async function listRepairApplications(q: Queryable, filter: RepairFilter, limit: number, after: string | null): Promise<RepairApplication[]> {
  const { params, conditions, param, where } = sqlFilter([limit]);
  if (filter.status) conditions.push(`status = ${param(filter.status)}`);
  if (filter.department) conditions.push(`department = ${param(filter.department)}`);
  if (after) conditions.push(`repair_application.id > ${param(after)}::bigint`);
  return q.query<RepairApplication>(`SELECT ${REPAIR_FIELDS} FROM repair_application ${where()} ORDER BY repair_application.id LIMIT $1`, params);
}

export const repairListResolvers: ResolverMap = {
  Query: {
    repairApplications: async (_root: unknown, args: RepairFilter & { first: number; after?: string | null }, context: SubgraphContext<unknown>) => {
      requireReadsWorkflowsOf(context.caller, args.department ?? null, 'repairApplications');
      const readable = workflowDepartmentOf(context.caller);
      const filter = { status: args.status, department: readable === 'ALL' ? args.department : readable };
      const first = requirePageSize(args.first);
      const after = args.after ? decodeIdCursor('repair', args.after, 'repairApplications') : null;
      return idPage('repair', await listRepairApplications(context.db, filter, first + 1, after), first);
    },
  },
};
