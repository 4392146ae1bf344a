/** People's courts (法院) subgraph. */
import path from 'node:path';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { departmentProfileResolvers } from '../../lib/profile-resolvers';
import { maskedPerson } from '../../lib/personal-data';
import { createCourtLoaders, type CourtLoaders, type RestrictedPersonColumns } from './store';

const profile = departmentProfileResolvers<CourtLoaders>('courts', 'CourtProfile', [
  'dishonestDebtors',
  'consumptionRestrictions',
  'enforcementCases',
]);

export const courtsSubgraph: SubgraphDefinition<CourtLoaders> = {
  name: 'courts',
  migrationsDir: path.join(__dirname, 'migrations'),
  createLoaders: createCourtLoaders,
  resolvers: {
    ...profile,
    ConsumptionRestrictionOrder: {
      restrictedPerson: (row: RestrictedPersonColumns) =>
        row.restricted_person_name !== null && row.restricted_person_id !== null
          ? maskedPerson(row.restricted_person_name, row.restricted_person_id)
          : null,
    },
  },
};
