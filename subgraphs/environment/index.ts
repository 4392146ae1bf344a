/** Ecology and environment (生态环境) subgraph. */
import type { SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers, latestOf } from '../../lib/profile-resolvers';
import { publicationTimelinessResolver } from '../../lib/publication-timeliness';
import { doublePublicityResolver, latePublicationsResolver } from '../../lib/double-publicity';
import { createEnvironmentLoaders, type EnvironmentLoaders } from './store';

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
      // The newest rating standing after the credit office's decisions, with its dispute mark (the ratings loader's rows, newest year first).
      latestRating: latestOf(profile, 'EnvironmentProfile', 'creditRatings'),
    },
  },
};
