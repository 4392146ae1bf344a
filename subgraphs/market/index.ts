/** Market supervision (市场监管) subgraph. */
import type { SubgraphContext, SubgraphDefinition } from '../../lib/subgraph';
import { migrationsDirOf } from '../../lib/migrate';
import { departmentProfileResolvers } from '../../lib/profile-resolvers';
import { publicationTimelinessResolver } from '../../lib/publication-timeliness';
import { personFor } from '../../lib/personal-data';
import { createMarketLoaders, type MarketLoaders } from './store';
import { searchResolvers } from './search';
import { doublePublicityResolver, latePublicationsResolver } from '../../lib/double-publicity';

type Context = SubgraphContext<MarketLoaders>;

const profile = departmentProfileResolvers<MarketLoaders>(
  'market',
  'MarketProfile',
  [
    'registration',
    'licences',
    'penalties',
    'abnormalOperations',
    'seriousViolations',
    'contractHonouring',
    'spotChecks',
    'representedEntities',
  ],
  {
    // What PUBLIC and the other callers without `records` see: what double publicity publishes.
    licences: 'licence',
    penalties: 'penalty',
    abnormalOperations: 'listEntry',
    seriousViolations: 'listEntry',
  },
);

export const marketSubgraph: SubgraphDefinition<MarketLoaders> = {
  name: 'market',
  migrationsDir: migrationsDirOf('market'),
  // Dispute marks and withdrawals the credit office decides (lib/record-status.ts).
  recordStatus: true,
  createLoaders: createMarketLoaders,
  resolvers: {
    ...profile,
    Query: {
      ...searchResolvers.Query,
      marketDoublePublicity: doublePublicityResolver({ LICENCE: 'administrative_licence', PENALTY: 'administrative_penalty' }),
      marketLatePublications: latePublicationsResolver({ LICENCE: 'administrative_licence', PENALTY: 'administrative_penalty' }),
      marketPublicationTimeliness: publicationTimelinessResolver({ licences: 'administrative_licence', penalties: 'administrative_penalty' }),
    },
    Subject: {
      ...profile.Subject,
      name: async (subject: { code: string }, _args: unknown, context: Context) =>
        (await context.loaders.registration.load(subject.code))?.name ?? null,
    },
    Registration: {
      legalRepresentative: (row: { legal_rep_name: string; legal_rep_id: string }, _args: unknown, context: Context) =>
        personFor(context.caller, row.legal_rep_name, row.legal_rep_id),
    },
  },
};
