import { taxSubgraph } from '../../subgraphs/tax';
import { writeTaxRecords, type TaxRecords } from '../../subgraphs/tax/store';
import { buildUscc } from '../../lib/identifiers';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '310115', organisationBody: String(20000000 + n).slice(0, 8) });

function records(codes: string[]): TaxRecords {
  return {
    // Written oldest first so the order the subgraph answers in comes from its query, not from insertion.
    creditRatings: codes.flatMap((c, i) => [
      { subject_code: c, year: 2023, level: 'B', score: 85.5, assessed_on: '2024-04-15', tax_authority: '国家税务总局上海市浦东新区税务局' },
      { subject_code: c, year: 2024, level: i === 0 ? 'A' : 'M', score: i === 0 ? 92 : null, assessed_on: '2025-04-20', tax_authority: '国家税务总局上海市浦东新区税务局' },
    ]),
    majorViolations: [
      {
        subject_code: codes[1]!,
        case_number: '沪税稽罚〔2024〕15号',
        nature: 'FALSE_INVOICING',
        amount: 1234567.89,
        facts: '虚开增值税专用发票',
        tax_authority: '国家税务总局上海市税务局第一稽查局',
        decided_on: '2024-09-10',
        published_on: '2024-10-08',
        removed_on: null,
      },
    ],
    arrears: [
      { subject_code: codes[2]!, notice_number: '浦税欠公〔2024〕3号', tax_type: '企业所得税', amount: 52000, tax_authority: '国家税务总局上海市浦东新区税务局', announced_on: '2024-03-01', settled_on: null },
      { subject_code: codes[2]!, notice_number: '浦税欠公〔2024〕3号', tax_type: '增值税', amount: 18000.5, tax_authority: '国家税务总局上海市浦东新区税务局', announced_on: '2024-03-01', settled_on: '2024-05-20' },
      // One announcement names many taxpayers.
      { subject_code: codes[3]!, notice_number: '浦税欠公〔2024〕3号', tax_type: '增值税', amount: 900, tax_authority: '国家税务总局上海市浦东新区税务局', announced_on: '2024-03-01', settled_on: null },
    ],
  };
}

describe('tax subgraph', () => {
  let subgraph: SubgraphUnderTest;
  const codes = Array.from({ length: 1000 }, (_, i) => code(i));

  beforeAll(async () => {
    subgraph = await startSubgraph(taxSubgraph);
    await writeTaxRecords(subgraph.db, records(codes));
  });
  afterAll(() => subgraph?.close());

  it('resolves ratings newest year first, and the latest rating', async () => {
    const [first] = await subgraph.entities([codes[0]!], 'code tax { creditRatings { year level score assessedOn taxAuthority } latestRating { year level score } }');
    expect(first).toEqual({
      code: codes[0],
      tax: {
        creditRatings: [
          { year: 2024, level: 'A', score: 92, assessedOn: '2025-04-20', taxAuthority: '国家税务总局上海市浦东新区税务局' },
          { year: 2023, level: 'B', score: 85.5, assessedOn: '2024-04-15', taxAuthority: '国家税务总局上海市浦东新区税务局' },
        ],
        latestRating: { year: 2024, level: 'A', score: 92 },
      },
    });
  });

  it('resolves major violations and arrears', async () => {
    const [violator, debtor] = await subgraph.entities(
      [codes[1]!, codes[2]!],
      'tax { majorViolations { caseNumber nature amount facts taxAuthority decidedOn publishedOn removedOn } arrears { noticeNumber taxType amount announcedOn settledOn } }',
    );
    expect(violator.tax).toEqual({
      majorViolations: [
        {
          caseNumber: '沪税稽罚〔2024〕15号',
          nature: 'FALSE_INVOICING',
          amount: 1234567.89,
          facts: '虚开增值税专用发票',
          taxAuthority: '国家税务总局上海市税务局第一稽查局',
          decidedOn: '2024-09-10',
          publishedOn: '2024-10-08',
          removedOn: null,
        },
      ],
      arrears: [],
    });
    expect(debtor.tax.majorViolations).toEqual([]);
    expect(debtor.tax.arrears).toEqual(
      expect.arrayContaining([
        { noticeNumber: '浦税欠公〔2024〕3号', taxType: '企业所得税', amount: 52000, announcedOn: '2024-03-01', settledOn: null },
        { noticeNumber: '浦税欠公〔2024〕3号', taxType: '增值税', amount: 18000.5, announcedOn: '2024-03-01', settledOn: '2024-05-20' },
      ]),
    );
    expect(debtor.tax.arrears).toHaveLength(2);
  });

  it('answers an empty profile for a subject it holds nothing on', async () => {
    const unknown = code(999999);
    const [subject] = await subgraph.entities([unknown], 'code tax { creditRatings { year } latestRating { level } majorViolations { caseNumber } arrears { noticeNumber } }');
    expect(subject).toEqual({ code: unknown, tax: { creditRatings: [], latestRating: null, majorViolations: [], arrears: [] } });
  });

  it('resolves 1,000 subjects with one query per table, the latest rating included', async () => {
    const { result, statements } = await countQueries(subgraph.db, () =>
      subgraph.entities(codes, 'code tax { creditRatings { year } latestRating { level } majorViolations { caseNumber } arrears { taxType } }'),
    );
    expect(result).toHaveLength(1000);
    expect(result[999].tax.latestRating).toEqual({ level: 'M' });
    expect(result[1].tax.majorViolations).toEqual([{ caseNumber: '沪税稽罚〔2024〕15号' }]);
    // ratings (shared by creditRatings and latestRating), major violations, arrears
    // One per table read, and one for the credit office's decisions about the records (record_status, lib/record-status.ts).
    expect(statements).toHaveLength(4);
  });

  it('writes a batch all or nothing', async () => {
    const fresh = code(5000);
    const batch = records([fresh]);
    batch.majorViolations = [{ ...records(codes).majorViolations[0]!, subject_code: fresh }]; // case number already taken
    await expect(writeTaxRecords(subgraph.db, batch)).rejects.toThrow(/duplicate key/);
    const [subject] = await subgraph.entities([fresh], 'tax { creditRatings { year } arrears { noticeNumber } }');
    expect(subject.tax).toEqual({ creditRatings: [], arrears: [] });
  });

  it('refuses a level outside the rating scale', async () => {
    const batch: TaxRecords = { creditRatings: [{ ...records(codes).creditRatings[0]!, subject_code: code(6000), level: 'AA' }], majorViolations: [], arrears: [] };
    await expect(writeTaxRecords(subgraph.db, batch)).rejects.toThrow(/check constraint/);
  });

  it('publishes its SDL for composition', async () => {
    const result = await subgraph.graphql('{ _service { sdl } }');
    expect(result.data._service.sdl).toContain('type TaxProfile');
  });
});
