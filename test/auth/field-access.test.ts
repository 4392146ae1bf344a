/**
 * Field-level authorisation at the gateway: forbidden fields leave the
 * operation before planning and come back as null with FORBIDDEN, with
 * GraphQL's null propagation, whatever the query shape (aliases, fragments,
 * lists).
 */
import { buildSchema, parse, print } from 'graphql';
import { accessPolicies, fillForbidden, planFieldAccess, requiredScopes } from '../../gateway/auth/field-access';

const SDL = `
directive @access(scopes: [String!]!) on FIELD_DEFINITION | OBJECT
type Query {
  subject(code: ID!): Subject! @access(scopes: ["public"])
  subjects(codes: [ID!]!): [Subject!]! @access(scopes: ["public"])
  secretRoot: String
}
type Subject @access(scopes: ["public"]) {
  code: ID!
  name: String
  tax: TaxProfile
  strictTax: TaxProfile! @access(scopes: ["records"])
}
type TaxProfile @access(scopes: ["records", "tax:detail"]) {
  level: String
  amount: Float! @access(scopes: ["tax:detail"])
}
`;
const schema = buildSchema(SDL);
const policies = accessPolicies(SDL);
const PUBLIC = new Set(['public']);
const RECORDS = new Set(['public', 'records']);

function run(query: string, scopes: Set<string>, answer: (rewritten: string) => Record<string, any>) {
  const document = parse(query);
  const plan = planFieldAccess(schema, document, policies, scopes);
  const data = answer(print(plan.document));
  return { plan, ...fillForbidden(schema, document, undefined, policies, scopes, data) };
}

describe('field access', () => {
  it('reads policies from the SDL, a field inheriting its type and undeclared fields denied', () => {
    expect(requiredScopes(policies, 'Subject', 'name')).toEqual(['public']);
    expect(requiredScopes(policies, 'TaxProfile', 'amount')).toEqual(['tax:detail']);
    expect(requiredScopes(policies, 'Query', 'secretRoot')).toBeUndefined();
  });

  it('leaves an allowed operation untouched', () => {
    const query = '{ subject(code: "A") { code name } }';
    const { plan, data, errors } = run(query, PUBLIC, () => ({ subject: { code: 'A', name: 'n' } }));
    expect(plan.document).toBe(plan.document);
    expect(plan.forbidden).toEqual([]);
    expect(data).toEqual({ subject: { code: 'A', name: 'n' } });
    expect(errors).toEqual([]);
  });

  it('asks no subgraph for a forbidden field and answers it null with FORBIDDEN, through aliases and fragments', () => {
    const query = `query { a: subject(code: "A") { code t: tax { level } ...F } }
                   fragment F on Subject { other: tax { amount } }`;
    const { plan, data, errors } = run(query, PUBLIC, (rewritten) => {
      expect(rewritten).not.toMatch(/level|amount/);
      return { a: { code: 'A', t: { __cgEmpty: 'TaxProfile' }, other: { __cgEmpty: 'TaxProfile' } } };
    });
    expect(plan.forbidden.sort()).toEqual(['TaxProfile.amount', 'TaxProfile.level']);
    // level is nullable: null in place; amount is non-null: its TaxProfile becomes null.
    expect(data).toEqual({ a: { code: 'A', t: { level: null }, other: null } });
    expect(errors.map((e) => [e.path, e.extensions.code])).toEqual([
      [['a', 't', 'level'], 'FORBIDDEN'],
      [['a', 'other', 'amount'], 'FORBIDDEN'],
    ]);
  });

  it('forbids per field inside a list, and propagates null from a non-null field to its nullable parent', () => {
    const query = '{ subjects(codes: ["A", "B"]) { code tax { level amount } } }';
    const { data, errors } = run(query, RECORDS, (rewritten) => {
      expect(rewritten).toMatch(/level/);
      expect(rewritten).not.toMatch(/amount/);
      return { subjects: [{ code: 'A', tax: { level: 'B' } }, { code: 'B', tax: null }] };
    });
    // amount is non-null: its TaxProfile becomes null (tax is nullable).
    expect(data).toEqual({ subjects: [{ code: 'A', tax: null }, { code: 'B', tax: null }] });
    expect(errors.map((e) => e.path)).toEqual([['subjects', 0, 'tax', 'amount']]);
  });

  it('propagates null up to the data when every parent is non-null', () => {
    const { data, errors } = run('{ subject(code: "A") { strictTax { level } } }', PUBLIC, (rewritten) => {
      expect(rewritten).toBe('{\n  subject(code: "A") {\n    __cgEmpty: __typename\n  }\n}');
      return { subject: { __cgEmpty: 'Subject' } };
    });
    expect(data).toBeNull();
    expect(errors[0]!.extensions).toEqual({ code: 'FORBIDDEN', field: 'Subject.strictTax', requiredScopes: ['records'] });
  });

  it('keeps the operation’s variable definitions, which the plan’s @skip/@include conditions read their defaults from', () => {
    const query = 'query($c: ID!, $d: ID!) { subject(code: $c) { code } secretRoot2: secretRoot other: subject(code: $d) { strictTax { level } } }';
    const plan = planFieldAccess(schema, parse(query), policies, PUBLIC);
    expect(print(plan.document)).toBe('query ($c: ID!, $d: ID!) {\n  subject(code: $c) {\n    code\n  }\n  other: subject(code: $d) {\n    __cgEmpty: __typename\n  }\n}');
    const check = planFieldAccess(schema, parse('query($c: Boolean = true) { secretRoot @include(if: $c) x: secretRoot }'), policies, PUBLIC);
    expect(print(check.document)).toBe('query ($c: Boolean = true) {\n  __cgEmpty: __typename\n}');
  });

  it('denies a field no policy covers, to every caller', () => {
    const { data, errors } = run('{ secretRoot }', new Set(['public', 'records', 'tax:detail']), () => ({}));
    expect(data).toEqual({ secretRoot: null });
    expect(errors[0]!.message).toBe('not allowed to read Query.secretRoot');
  });
});
