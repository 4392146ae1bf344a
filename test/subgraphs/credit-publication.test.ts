/**
 * The initiate step: a department publishes a determination to the credit
 * office and later ends it. Retries are idempotent, conflicting republication
 * and invalid ends are refused, and nothing half-applies.
 */
import { buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { type SubgraphUnderTest } from '../helpers/subgraph';
import { startCreditOffice, type CreditOffice } from '../helpers/credit-office';
import { writeCourtRecords } from '../../subgraphs/courts/store';

const CODE = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: 'MA5F3K2Q' });
const PUBLISH = `mutation($input: PublishListEntryInput!) { publishListEntry(input: $input) { code kind department sourceRecord reason since until } }`;
const END = `mutation($input: EndListEntryInput!) { endListEntry(input: $input) { code kind sourceRecord since until } }`;
const LISTS = `query($code: ID!) { subject(code: $code) { lists { kind department sourceRecord since until } } }`;

const determination = (overrides: Record<string, unknown> = {}) => ({
  code: CODE.toLowerCase(),
  kind: 'BLACK',
  department: 'COURTS',
  sourceRecord: `dishonest_debtor/${CODE}/（2026）粤0305执88号`,
  reason: '失信被执行人：有履行能力而拒不履行生效法律文书确定义务',
  since: '2026-03-02',
  ...overrides,
});

describe('list publication', () => {
  let office: CreditOffice;
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    // The list rules read the court's own record (subgraphs/credit/departments.ts): the court holds the debtor.
    office = await startCreditOffice();
    subgraph = office.credit;
    await writeCourtRecords(office.departments.courts.db, {
      dishonestDebtors: [{ subject_code: CODE, case_number: '（2026）粤0305执88号', court: '深圳市南山区人民法院', basis_document: '判决书', obligation: '付款', performance_status: 'NOT_PERFORMED', dishonest_conduct: '拒不履行', listed_on: '2026-03-02', removed_on: null }],
      consumptionRestrictions: [],
      enforcementCases: [],
    });
  }, 120_000);
  afterAll(() => office?.close());

  // The court's own client publishes the court's determinations (subgraphs/credit/callers.ts).
  const COURTS = { role: 'DEPARTMENT', department: 'COURTS', clientId: 'cli-courts' } as const;
  const gql = (query: string, variables?: Record<string, unknown>, as: Record<string, unknown> = COURTS) => subgraph.graphql(query, variables, { as: as as never });
  const count = async () => (await subgraph.db.query<{ n: number }>('SELECT count(*)::int AS n FROM list_entry'))[0]!.n;

  it('puts the subject on the list, and a retried publication is the same entry', async () => {
    const first = await gql(PUBLISH, { input: determination() });
    expect(first.errors).toBeUndefined();
    expect(first.data.publishListEntry).toEqual({
      code: CODE,
      kind: 'BLACK',
      department: 'COURTS',
      sourceRecord: `dishonest_debtor/${CODE}/（2026）粤0305执88号`,
      reason: '失信被执行人：有履行能力而拒不履行生效法律文书确定义务',
      since: '2026-03-02',
      until: null,
    });
    const again = await gql(PUBLISH, { input: determination() });
    expect(again.data.publishListEntry).toEqual(first.data.publishListEntry);
    expect(await count()).toBe(1);
    const lists = await gql(LISTS, { code: CODE });
    expect(lists.data.subject.lists).toHaveLength(1);
  });

  it('refuses another department\'s client, changing nothing', async () => {
    const { errors } = await gql(PUBLISH, { input: determination() }, { role: 'DEPARTMENT', department: 'MARKET', clientId: 'cli-market' });
    expect(errors![0].extensions).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));
    const ended = await gql(END, { input: { kind: 'BLACK', department: 'COURTS', sourceRecord: determination().sourceRecord, until: '2026-09-30' } }, { role: 'DEPARTMENT', department: 'TAX', clientId: 'cli-tax' });
    expect(ended.errors![0].extensions.reason).toBe('OTHER_DEPARTMENT');
    expect(await count()).toBe(1);
    expect((await gql(LISTS, { code: CODE })).data.subject.lists[0].until).toBeNull();
  });

  it('refuses the same record republished with different content, changing nothing', async () => {
    const { errors } = await gql(PUBLISH, { input: determination({ since: '2026-04-01' }) });
    expect(errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_CONFLICT' }));
    expect(errors![0].message).toMatch(/already published .* with different content/);
    expect(await count()).toBe(1);
  });

  it('refuses bad input with what is wrong', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ code: 'X1' }, /invalid subject code/],
      [{ since: '2026-02-30' }, /since must be an ISO-8601 date/],
      [{ until: '2026-01-01' }, /until \(2026-01-01\) is before since \(2026-03-02\)/],
      [{ reason: '  ' }, /reason must not be empty/],
    ];
    for (const [overrides, message] of cases) {
      const { errors } = await gql(PUBLISH, { input: determination({ sourceRecord: 'other/1', ...overrides }) });
      expect(errors![0].message).toMatch(message);
    }
    expect(await count()).toBe(1);
  });

  it('refuses an end in the past, which would rewrite what the list said, changing nothing', async () => {
    const input = { kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${CODE}/（2026）粤0305执88号`, until: '2026-09-30' };
    expect(todayInChina() > '2026-09-30').toBe(true);
    // The court's clerk and the credit office alike (found by a review of the running graph).
    for (const as of [COURTS, { role: 'CREDIT_OFFICE' }]) {
      const { errors } = await gql(END, { input }, as);
      expect(errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RETROACTIVE_END', field: 'until', today: todayInChina() }));
    }
    expect((await gql(LISTS, { code: CODE })).data.subject.lists).toEqual([expect.objectContaining({ since: '2026-03-02', until: null })]);
    expect((await gql('{ listEntries(kind: BLACK) { nodes { code } } }')).data.listEntries.nodes).toEqual([{ code: CODE }]);
  });

  it('lets a department end its red-list entry while the record stands: that only takes an incentive away', async () => {
    // Found by a second black-box review: tax could not end its red entry (RECORD_IN_FORCE) on an A rating in force.
    const rated = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: 'MA5F3K3R' });
    await office.departments.tax.db.query(`INSERT INTO tax_credit_rating (subject_code, year, level, score, assessed_on, tax_authority) VALUES ($1, 2025, 'A', 95, '2026-04-15', '深圳市税务局')`, [rated]);
    const TAX = { role: 'DEPARTMENT', department: 'TAX', clientId: 'cli-tax' } as const;
    const red = { code: rated, kind: 'RED', department: 'TAX', sourceRecord: `tax_credit_rating/${rated}/2025`, reason: '纳税信用A级', since: '2026-04-15' };
    expect((await gql(PUBLISH, { input: red }, TAX)).errors).toBeUndefined();
    const ended = await gql(END, { input: { kind: 'RED', department: 'TAX', sourceRecord: red.sourceRecord, until: todayInChina() } }, TAX);
    expect(ended.errors).toBeUndefined();
    expect(ended.data.endListEntry.until).toBe(todayInChina());
  });

  it('ends the entry when the court removes the debtor, once, and not while the debtor stands', async () => {
    const today = todayInChina();
    const input = { kind: 'BLACK', department: 'COURTS', sourceRecord: `dishonest_debtor/${CODE}/（2026）粤0305执88号`, until: today };
    // The record still lists the debtor: its entry stays (found by a black-box review: ended so, the grade and the
    // representative's page said clean while the check said PROHIBITED). The court and the credit office alike.
    for (const as of [COURTS, { role: 'CREDIT_OFFICE' }]) {
      const standing = await gql(END, { input }, as);
      expect(standing.errors![0].extensions).toEqual(expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'RECORD_IN_FORCE', recordUntil: null }));
    }
    expect((await gql(LISTS, { code: CODE })).data.subject.lists).toEqual([expect.objectContaining({ since: '2026-03-02', until: null })]);
    await office.departments.courts.db.query('UPDATE dishonest_debtor SET removed_on = $2::date WHERE subject_code = $1', [CODE, today]);
    const ended = await gql(END, { input });
    expect(ended.data.endListEntry).toEqual(expect.objectContaining({ until: today }));
    // A retry of the same end is the same answer; a different end is refused.
    expect((await gql(END, { input })).data.endListEntry.until).toBe(today);
    const moved = await gql(END, { input: { ...input, until: '2099-10-31' } });
    expect(moved.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'INVALID_TRANSITION' }));
    const early = await gql(END, { input: { ...input, sourceRecord: 'nothing/here' } });
    expect(early.errors![0].extensions).toEqual(expect.objectContaining({ reason: 'NOT_FOUND' }));
    // Ended today: no longer in force, so no longer disclosed on the public list.
    const disclosed = await gql('{ listEntries(kind: BLACK) { nodes { code } } }');
    expect(disclosed.data.listEntries.nodes).toEqual([]);
  });
});
