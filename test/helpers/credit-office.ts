/**
 * The credit office with the four departments, in-process against real
 * databases, for the conformance suite and the list-publication tests: each
 * department subgraph listens on a free port (the credit office asks them for
 * their records, subgraphs/credit/departments.ts), all share one
 * IDENTITY_SIGNING_KEY, and `check()` runs a credit check the way the gateway
 * does — the root field names it, each department answers its evidence
 * through its `CreditCheck` entity, and the credit office decides and
 * records it in one `_entities` call.
 */
import crypto from 'node:crypto';
import { creditSubgraph } from '../../subgraphs/credit';
import { marketSubgraph } from '../../subgraphs/market';
import { taxSubgraph } from '../../subgraphs/tax';
import { courtsSubgraph } from '../../subgraphs/courts';
import { environmentSubgraph } from '../../subgraphs/environment';
import { EVIDENCE_FIELDS, type Evidence } from '../../subgraphs/credit/checks/evidence';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { startSubgraph, type CallerOverride, type SubgraphUnderTest } from './subgraph';

export type DepartmentName = keyof Evidence;
const DEFINITIONS = { market: marketSubgraph, tax: taxSubgraph, courts: courtsSubgraph, environment: environmentSubgraph } as const;

export const CHECK_FIELDS = `checkId code scenario verdict registered missingSources catalogueVersion
  measures { code kind effect appliesTo trigger initiatingDepartment recordId recordSubjectCode until suspended
             triggers { trigger initiatingDepartment recordId recordSubjectCode until suspended } }`;

export interface CreditOffice {
  credit: SubgraphUnderTest;
  departments: Record<DepartmentName, SubgraphUnderTest>;
  /** A credit check as the gateway runs it; `missing` departments do not answer. */
  check(code: string, scenario: string, options?: { as?: CallerOverride; missing?: DepartmentName[] }): Promise<any>;
  close(): Promise<void>;
}

export async function startCreditOffice(): Promise<CreditOffice> {
  const identityKey = crypto.randomBytes(32).toString('base64url');
  const saved = { ...process.env };
  process.env.IDENTITY_SIGNING_KEY = identityKey;
  const departments = {} as Record<DepartmentName, SubgraphUnderTest>;
  for (const name of Object.keys(DEFINITIONS) as DepartmentName[]) {
    const subgraph = await startSubgraph(DEFINITIONS[name] as SubgraphDefinition<unknown>, { identityKey });
    const address = await subgraph.app.listen({ port: 0, host: '127.0.0.1' });
    process.env[`${name.toUpperCase()}_SUBGRAPH_URL`] = `${address}/graphql`;
    departments[name] = subgraph;
  }
  const credit = await startSubgraph(creditSubgraph, { identityKey });
  const as: CallerOverride = { role: 'CREDIT_OFFICE' };
  return {
    credit,
    departments,
    async check(code, scenario, options = {}) {
      const caller = options.as ?? as;
      // The root field names the check (its key); it is recorded when the credit office decides it below.
      const root = await credit.graphql('query($c: ID!, $s: Scenario!) { creditCheck(code: $c, scenario: $s) { checkKey code scenario } }', { c: code, s: scenario }, { as: caller });
      if (root.errors) throw new Error(JSON.stringify(root.errors));
      const { checkKey, code: normalised } = root.data.creditCheck;
      const evidence: Record<string, unknown> = {};
      for (const name of Object.keys(DEFINITIONS) as DepartmentName[]) {
        if (options.missing?.includes(name)) {
          evidence[name] = null;
          continue;
        }
        const answer = await departments[name].graphql(
          `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { ${name} { ${EVIDENCE_FIELDS[name]} } } } }`,
          { r: [{ __typename: 'CreditCheck', code: normalised }] },
          { as: caller },
        );
        if (answer.errors) throw new Error(JSON.stringify(answer.errors));
        evidence[name] = answer.data._entities[0][name];
      }
      const decided = await credit.graphql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { ${CHECK_FIELDS} } } }`,
        { r: [{ __typename: 'CreditCheck', checkKey, code: normalised, scenario, ...evidence }] },
        { as: caller },
      );
      if (decided.errors) throw new Error(JSON.stringify(decided.errors));
      return decided.data._entities[0];
    },
    async close() {
      await credit.close();
      for (const subgraph of Object.values(departments)) await subgraph.close();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    },
  };
}
