/**
 * What the next caller sees after each workflow decision, through the gateway
 * of the whole graph (every service a real process, real PostgreSQL): the
 * defects a review of the running graph found in the bound workflows and
 * their disclosure (issue 13), each as the user who would run into it.
 */
import { Client } from 'pg';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { addDays } from '../../subgraphs/credit/policy/calendar';
import { todayInChina } from '../../lib/clock';

const END = 'mutation($input: EndListEntryInput!) { endListEntry(input: $input) { until } }';

describe('after a workflow decision, through the gateway', () => {
  let graph: TestGraph;
  let db: Client;
  const today = todayInChina();

  beforeAll(async () => {
    graph = await startTestGraph({ subjects: 300 });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
  }, 240_000);
  afterAll(async () => {
    await db?.end();
    await graph?.close();
  });

  const PUBLIC = {};
  const COURTS = () => graph.as('DEPARTMENT', 'court clerk');
  const OFFICE = () => graph.as('CREDIT_OFFICE', 'credit office');
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => (await graph.graphql(query, variables, headers)).body;
  /** Every entry of a public list, page by page. */
  const listPage = async (kind: string, headers: Record<string, string>, selection = 'code sourceRecord') => {
    const all: any[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gql(`query($k: ListKind!, $a: String) { listEntries(kind: $k, first: 100, after: $a) { nodes { ${selection} } endCursor hasNextPage } }`, { k: kind, a: after }, headers);
      all.push(...page.data.listEntries.nodes);
      if (!page.data.listEntries.hasNextPage) return all;
      after = page.data.listEntries.endCursor;
    }
  };

  it('refuses to end a list entry in the past, and PUBLIC still sees the entry in force', async () => {
    const code = graph.seeded.examples.dishonestDebtor;
    const LISTS = 'query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord until } } }';
    const entry = (await gql(LISTS, { c: code }, PUBLIC)).data.subject.lists.find((e: { kind: string; department: string; until: string | null }) => e.kind === 'BLACK' && e.department === 'COURTS' && e.until === null);
    expect(entry).toBeDefined();
    const input = { kind: 'BLACK', department: 'COURTS', sourceRecord: entry.sourceRecord, until: addDays(today, -30) };
    for (const headers of [COURTS(), OFFICE()]) {
      const body = await gql(END, { input }, headers);
      expect(body.errors?.[0]?.extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RETROACTIVE_END', field: 'until' }));
    }
    expect((await gql(LISTS, { c: code }, PUBLIC)).data.subject.lists).toContainEqual({ ...entry, until: null });
    expect((await listPage('BLACK', PUBLIC)).map((e) => e.sourceRecord)).toContain(entry.sourceRecord);
  });
});
