/**
 * The gateway as the GraphQL specification describes it, end to end (every
 * subgraph a real process on the real PostgreSQL server): an invalid
 * operation gets the specification's validation errors with locations in the
 * client's own text, before anything rewrites it; field-level authorisation
 * only ever adds FORBIDDEN errors for fields the client asked for, whatever
 * the query shape; introspection answers every role in development and the
 * playground's documentation explorer lists the schema.
 */
import { browseDocsInPlayground } from '../helpers/browser';
import { startTestGraph, type TestGraph } from '../helpers/graph';

interface Located {
  message: string;
  locations?: { line: number; column: number }[];
  extensions?: { code?: string };
}

/** The text at a location of `source` (GraphQL lines and columns count from 1). */
function textAt(source: string, { line, column }: { line: number; column: number }): string | undefined {
  const lines = source.split(/\r\n|\n|\r/);
  const text = lines[line - 1];
  return text !== undefined && column >= 1 && column <= text.length + 1 ? text.slice(column - 1) : undefined;
}

describe('the gateway and the GraphQL specification', () => {
  let graph: TestGraph;
  let code: string;

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 200, env: { CACHE: 'off' } });
    code = graph.seeded.examples.majorTaxViolation;
  }, 180_000);
  afterAll(() => graph?.close());

  /** Asserts every error that has locations points into `query`, and returns the errors. */
  async function errorsFor(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const { status, body } = (await graph.graphql(query, variables, headers)) as { status: number; body: any };
    const errors = (body.errors ?? []) as Located[];
    for (const error of errors) {
      for (const location of error.locations ?? []) expect({ error: error.message, at: textAt(query, location) }).toEqual({ error: error.message, at: expect.any(String) });
    }
    expect(JSON.stringify(body)).not.toMatch(/__cg/);
    return { status, body, errors };
  }

  it('refuses an unknown root field with the specification’s message, pointing at the client’s text', async () => {
    const query = `{ subjectz(code: "${code}") { code } }`;
    const { status, body, errors } = await errorsFor(query);
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(errors).toEqual([
      expect.objectContaining({ message: 'Cannot query field "subjectz" on type "Query". Did you mean "subject" or "subjects"?', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    expect(textAt(query, errors[0]!.locations![0]!)).toMatch(/^subjectz\(/);
  });

  it('refuses an unknown nested field, also for a role that may not read it', async () => {
    const query = `query Misspelt {\n  subject(code: "${code}") {\n    code\n    nmae\n    tax { arrears { amuont } }\n  }\n}`;
    for (const headers of [{}, graph.as('CREDIT_OFFICE')]) {
      const { status, errors } = await errorsFor(query, {}, headers);
      expect(status).toBe(400);
      expect(errors.map((e) => [e.message, e.extensions?.code, textAt(query, e.locations![0]!)?.slice(0, 6)])).toEqual([
        ['Cannot query field "nmae" on type "Subject". Did you mean "name"?', 'GRAPHQL_VALIDATION_FAILED', 'nmae'],
        ['Cannot query field "amuont" on type "TaxArrearsNotice". Did you mean "amount"?', 'GRAPHQL_VALIDATION_FAILED', 'amuont'],
      ]);
    }
  });

  it('reports syntax errors, a missing operation, unused fragments and bad variables where the client wrote them', async () => {
    const syntax = await errorsFor(`{ subject(code: "${code}") { code }`);
    expect(syntax.status).toBe(400);
    expect(syntax.errors[0]).toEqual(expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' }, locations: [expect.any(Object)] }));

    const unused = await errorsFor(`{ subject(code: "${code}") { code } }\nfragment Never on Subject { name }`);
    expect(unused.errors.map((e) => [e.message, e.locations])).toEqual([['Fragment "Never" is never used.', [{ line: 2, column: 1 }]]]);

    const variable = await errorsFor('query Named($c: ID!) { subject(code: $c) { code } }', {});
    expect(variable.status).toBe(400);
    expect(variable.errors).toEqual([expect.objectContaining({ message: 'Variable "$c" of required type "ID!" was not provided.', extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(textAt('query Named($c: ID!) { subject(code: $c) { code } }', variable.errors[0]!.locations![0]!)).toMatch(/^\$c: ID!/);

    const unknown = await graph.graphql('query A { __typename } query B { __typename }', {}, {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors![0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });

  it('gives a role FORBIDDEN for exactly the fields it asked for and may not read, through fragments, inline fragments and variables', async () => {
    // PUBLIC may not run credit checks nor read tax arrears: the fragment only the check used, the
    // inline fragment only arrears filled and the variable only the check used must not become errors.
    const query = `query Shapes($c: ID!, $s: Scenario!) {
  subject(code: $c) { code ...Public tax { ... on TaxProfile { arrears { amount } } majorViolations { caseNumber } } }
  creditCheck(code: $c, scenario: $s) { ...Verdict }
}
fragment Public on Subject { name }
fragment Verdict on CreditCheck { verdict }`;
    const { status, body, errors } = await errorsFor(query, { c: code, s: 'FISCAL_SUPPORT' });
    expect(status).toBe(200);
    expect(errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([['subject', 'tax', 'arrears'], ['creditCheck']]);
    // creditCheck is non-null at the root: the data is null as GraphQL propagates it.
    expect(body.data).toBeNull();

    const withoutCheck = await errorsFor(
      `query($c: ID!) { subject(code: $c) { code ...Public tax { ... on TaxProfile { arrears { amount } } majorViolations { caseNumber } } } }
fragment Public on Subject { name }`,
      { c: code },
    );
    expect(withoutCheck.status).toBe(200);
    expect(withoutCheck.body.data.subject).toEqual(expect.objectContaining({ code, tax: { arrears: null, majorViolations: expect.any(Array) } }));
    expect(withoutCheck.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('answers a field emptied of everything with its object still there, and no placeholder', async () => {
    const { body } = await errorsFor(`{ subject(code: "${code}") { tax { arrears { amount } } } }`);
    expect(body.data.subject.tax).toEqual({ arrears: null });
    expect(body.errors.map((e: { path: unknown }) => e.path)).toEqual([['subject', 'tax', 'arrears']]);
  });

  it('answers introspection for every role in development', async () => {
    for (const headers of [{}, graph.as('APPROVAL_SYSTEM'), graph.as('FINANCIAL_INSTITUTION')]) {
      const { status, body } = await errorsFor('{ __schema { types { name } } }', {}, headers);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.__schema.types.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Query', 'Subject', 'CreditCheck', '__Schema']));
    }
    const type = await errorsFor('{ __type(name: "Subject") { fields { name } } }');
    expect(type.body.data.__type.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['code', 'name', 'market', 'tax', 'lists']));
  });

  it('lists Subject and its fields in the playground’s documentation explorer, with no error loading the schema', async () => {
    const docs = await browseDocsInPlayground(`${graph.url}/graphql`, ['Query', 'Subject']);
    expect(docs.pageErrors).toEqual([]);
    expect(docs.answers.length).toBeGreaterThan(0);
    expect(docs.answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    const subjectPage = docs.pages.at(-1)!;
    for (const field of ['code', 'name', 'market', 'tax', 'courts', 'environment', 'lists']) expect(subjectPage).toMatch(new RegExp(`\\b${field}\\b`));
    expect(docs.pages[1]).toMatch(/subject/);
  }, 60_000);
});
