/** Tax (税务) subgraph. */
import type { SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers, latestOf } from '../../lib/profile-resolvers';
import { createTaxLoaders, type TaxLoaders } from './store';

const profile = departmentProfileResolvers<TaxLoaders>('tax', 'TaxProfile', ['creditRatings', 'majorViolations', 'arrears']);

export const taxSubgraph: SubgraphDefinition<TaxLoaders> = {
  name: 'tax',
  migrationsDir: migrationsDirOf('tax'),
  // Dispute marks and withdrawals the credit office decides (lib/record-status.ts).
  recordStatus: true,
  createLoaders: createTaxLoaders,
  resolvers: {
    ...profile,
    TaxProfile: {
      ...profile.TaxProfile,
      // The newest rating standing after the credit office's decisions, with its dispute mark (the ratings loader's rows, newest year first).
      latestRating: latestOf(profile, 'TaxProfile', 'creditRatings'),
    },
  },
};
