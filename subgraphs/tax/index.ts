/** Tax (税务) subgraph. */
import type { SubgraphContext, SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers } from '../../lib/profile-resolvers';
import { createTaxLoaders, type TaxLoaders } from './store';

type Context = SubgraphContext<TaxLoaders>;

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
      // Ratings arrive newest year first, so the latest is the head of the list the ratings loader already fetched.
      latestRating: async (parent: { code: string }, _args: unknown, context: Context) =>
        (await context.loaders.creditRatings.load(parent.code))[0] ?? null,
    },
  },
};
