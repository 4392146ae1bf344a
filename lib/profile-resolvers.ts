/**
 * The resolver shape every department subgraph shares: it extends `Subject`
 * (and `CreditCheck`, as evidence) with one profile field (`market`, `tax`, ...) whose fields each read one
 * DataLoader keyed by the subject code. A department names its fields; the
 * wiring is here once.
 */
import type DataLoader from 'dataloader';
import type { ResolverMap, SubgraphContext } from './subgraph';
import { disclosedTo, type DisclosureRule } from './disclosure';
import { statusesOf, withRecordStatus } from './record-status';

interface SubjectRef {
  code: string;
}

/**
 * A profile's parent: the subject's code, and whether the profile is the
 * credit office's evidence for a check (reached through `CreditCheck`, a field
 * @inaccessible to clients) rather than what a caller reads of `Subject`.
 */
interface ProfileRef extends SubjectRef {
  evidence?: true;
}

type LoaderMap = Record<string, DataLoader<string, unknown>>;

export function departmentProfileResolvers<Loaders extends LoaderMap>(
  profileField: string,
  profileType: string,
  loaderFields: readonly (keyof Loaders & string)[],
  /**
   * Fields whose rows a caller without the `records` scope sees only as the
   * rule publishes them (lib/disclosure.ts). The credit office's evidence for
   * a check is never filtered: a verdict must not depend on who asked for it,
   * and it reaches the client only as the measures the check derives.
   */
  disclosure: Partial<Record<keyof Loaders & string, DisclosureRule>> = {},
): ResolverMap {
  const profile: Record<string, (parent: ProfileRef, args: unknown, context: SubgraphContext<Loaders>) => Promise<unknown>> = {};
  for (const field of loaderFields) {
    const rule = disclosure[field];
    profile[field] = async (parent, _args, context) => {
      // The evidence as it is; a caller's rows as the rule and the credit office's decisions disclose them.
      if (parent.evidence) return context.loaders[field]!.load(parent.code);
      const [loaded, statuses] = await Promise.all([context.loaders[field]!.load(parent.code), statusesOf(context, parent.code)]);
      if (!Array.isArray(loaded)) return loaded; // a single row (the registration)
      const rows = rule ? disclosedTo(context.caller, rule, loaded as Parameters<typeof disclosedTo>[2]) : loaded;
      return withRecordStatus(context.caller, rows as object[], statuses);
    };
  }
  // Always an object: "holds nothing" is empty lists, and null is kept for "did not answer"
  // (the credit office's checks fail closed on that null).
  const reference = { __resolveReference: (reference: SubjectRef) => ({ code: reference.code }) };
  // The department's profile of a subject, and the same profile as evidence for a credit check of it.
  return {
    Subject: { ...reference, [profileField]: (subject: SubjectRef): ProfileRef => ({ code: subject.code }) },
    CreditCheck: { ...reference, [profileField]: (check: SubjectRef): ProfileRef => ({ code: check.code, evidence: true }) },
    [profileType]: profile,
  };
}

/**
 * A profile's "latest" field (`latestRating`) over one of its list fields
 * whose rows arrive newest first: the newest row as the caller sees it
 * (disclosure and the credit office's decisions applied, with its dispute
 * mark) that the decisions left standing. A rating revoked or corrected
 * after an upheld objection is not the subject's rating for anyone, so the
 * one before it is the latest, also for callers with `records` (who still
 * see the withdrawn one in the list itself).
 */
export function latestOf(profile: ResolverMap, profileType: string, field: string): ResolverMap[string][string] {
  const rows = profile[profileType]?.[field];
  if (!rows) throw new Error(`${profileType}.${field} is not a field of the profile`);
  return async (parent: unknown, args: unknown, context: unknown) => {
    const seen = (await rows(parent, args, context)) as { withdrawal?: unknown }[];
    return seen.find((row) => !row.withdrawal) ?? null;
  };
}
