/** Ecology and environment (生态环境) subgraph. */
import type { SubgraphContext, SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers } from '../../lib/profile-resolvers';
import { publicationTimelinessResolver } from '../../lib/publication-timeliness';
import { doublePublicityResolver, latePublicationsResolver } from '../../lib/double-publicity';
import { createEnvironmentLoaders, type EnvironmentLoaders } from './store';

type Context = SubgraphContext<EnvironmentLoaders>;

const profile = departmentProfileResolvers<EnvironmentLoaders>(
  'environment',
  'EnvironmentProfile',
  [
    'creditRatings',
    'penalties',
    'dischargePermits',
  ],
  {
    // Environmental penalties are published like every administrative penalty.
    penalties: 'penalty',
  },
);

export const environmentSubgraph: SubgraphDefinition<EnvironmentLoaders> = {
  name: 'environment',
  migrationsDir: migrationsDirOf('environment'),
  // Dispute marks and withdrawals the credit office decides (lib/record-status.ts).
  recordStatus: true,
  createLoaders: createEnvironmentLoaders,
  resolvers: {
    ...profile,
    Query: {
      environmentPublicationTimeliness: publicationTimelinessResolver({ penalties: 'environmental_penalty' }),
      environmentDoublePublicity: doublePublicityResolver({ PENALTY: 'environmental_penalty' }),
      environmentLatePublications: latePublicationsResolver({ PENALTY: 'environmental_penalty' }),
    },
    EnvironmentProfile: {
      ...profile.EnvironmentProfile,
      // Ratings arrive newest year first, so the latest is the head of the list the ratings loader already fetched.
      latestRating: async (parent: { code: string }, _args: unknown, context: Context) =>
        (await context.loaders.creditRatings.load(parent.code))[0] ?? null,
    },
  },
};
