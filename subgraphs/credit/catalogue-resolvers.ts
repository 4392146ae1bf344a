/**
 * GraphQL of the measures catalogue: `measureCatalogue(version)` and
 * `publishMeasureCatalogue(input)`. Who may publish is decided by the
 * authorisation layer (a later issue); until then the publisher is recorded
 * as PUBLISHED_BY.
 */
import type { ResolverMap, SubgraphContext } from '../../lib/subgraph';
import { catalogueVersion, publishCatalogue, type Catalogue, type PublishCatalogueInput } from './catalogue';
import type { MeasureKind, Scenario } from './vocabulary';

type Context = SubgraphContext<unknown>;

/** Recorded as `published_by` until requests carry an authenticated caller. */
export const PUBLISHED_BY = 'unauthenticated';

export const catalogueResolvers: ResolverMap = {
  Query: {
    measureCatalogue: (_root: unknown, args: { version?: number | null }, context: Context): Promise<Catalogue> =>
      catalogueVersion(context.db, args.version),
  },
  Mutation: {
    publishMeasureCatalogue: (_root: unknown, args: { input: PublishCatalogueInput }, context: Context): Promise<Catalogue> =>
      publishCatalogue(context.db, args.input, PUBLISHED_BY),
  },
  MeasureCatalogue: {
    measures: (catalogue: Catalogue, args: { scenario?: Scenario | null; kind?: MeasureKind | null }) =>
      catalogue.measures.filter(
        (measure) => (!args.scenario || measure.scenarios.includes(args.scenario)) && (!args.kind || measure.kind === args.kind),
      ),
  },
};
