/** People's courts (法院) subgraph. */
import type { SubgraphContext, SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers } from '../../lib/profile-resolvers';
import { personFor } from '../../lib/personal-data';
import { createCourtLoaders, type CourtLoaders, type RestrictedPersonColumns } from './store';

const profile = departmentProfileResolvers<CourtLoaders>(
  'courts',
  'CourtProfile',
  [
    'dishonestDebtors',
    'consumptionRestrictions',
    'enforcementCases',
  ],
  {
    // The list of dishonest judgment debtors is published until an entry is removed.
    dishonestDebtors: 'dishonestDebtor',
  },
);

export const courtsSubgraph: SubgraphDefinition<CourtLoaders> = {
  name: 'courts',
  migrationsDir: migrationsDirOf('courts'),
  // Dispute marks and withdrawals the credit office decides (lib/record-status.ts).
  recordStatus: true,
  createLoaders: createCourtLoaders,
  resolvers: {
    ...profile,
    ConsumptionRestrictionOrder: {
      restrictedPerson: (row: RestrictedPersonColumns, _args: unknown, context: SubgraphContext<CourtLoaders>) =>
        row.restricted_person_name !== null && row.restricted_person_id !== null
          ? personFor(context.caller, row.restricted_person_name, row.restricted_person_id)
          : null,
    },
  },
};
