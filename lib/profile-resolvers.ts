/**
 * The resolver shape every department subgraph shares: it extends `Subject`
 * (and `CreditCheck`, as evidence) with one profile field (`market`, `tax`, ...) whose fields each read one
 * DataLoader keyed by the subject code. A department names its fields; the
 * wiring is here once.
 */
import type DataLoader from 'dataloader';
import type { ResolverMap, SubgraphContext } from './subgraph';

interface SubjectRef {
  code: string;
}

type LoaderMap = Record<string, DataLoader<string, unknown>>;

export function departmentProfileResolvers<Loaders extends LoaderMap>(
  profileField: string,
  profileType: string,
  loaderFields: readonly (keyof Loaders & string)[],
): ResolverMap {
  const profile: Record<string, (parent: SubjectRef, args: unknown, context: SubgraphContext<Loaders>) => Promise<unknown>> = {};
  for (const field of loaderFields) {
    profile[field] = (parent, _args, context) => context.loaders[field]!.load(parent.code);
  }
  // Always an object: "holds nothing" is empty lists, and null is kept for "did not answer"
  // (the credit office's checks fail closed on that null).
  const entity = {
    __resolveReference: (reference: SubjectRef) => ({ code: reference.code }),
    [profileField]: (subject: SubjectRef) => ({ code: subject.code }),
  };
  // The department's profile of a subject, and the same profile as evidence for a credit check of it.
  return { Subject: entity, CreditCheck: { ...entity }, [profileType]: profile };
}
