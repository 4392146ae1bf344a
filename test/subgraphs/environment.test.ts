import { environmentSubgraph } from '../../subgraphs/environment';
import { writeEnvironmentRecords, type EnvironmentRecords } from '../../subgraphs/environment/store';
import { buildUscc } from '../../lib/identifiers';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '320506', organisationBody: String(30000000 + n).slice(0, 8) });

const AUTHORITY = '苏州市生态环境局';

function records(codes: string[]): EnvironmentRecords {
  // Every list is written oldest first so the order the subgraph answers in comes from its queries, not from insertion.
  return {
    creditRatings: codes.flatMap((c, i) => [
      { subject_code: c, year: 2023, level: 'BLUE', authority: AUTHORITY, assessed_on: '2024-06-30' },
      { subject_code: c, year: 2024, level: i === 0 ? 'BLACK' : 'GREEN', authority: AUTHORITY, assessed_on: '2025-06-30' },
    ]),
    penalties: [
      {
        subject_code: codes[0]!,
        decision_number: '苏环行罚〔2023〕7号',
        violation: '危险废物贮存不规范',
        content: '责令改正',
        basis: '《固体废物污染环境防治法》第一百一十二条',
        authority: AUTHORITY,
        serious: false,
        amount: null,
        decided_on: '2023-02-01',
        published_on: null,
        publication_ends_on: null,
      },
      {
        subject_code: codes[0]!,
        decision_number: '苏环行罚〔2024〕101号',
        violation: '篡改自动监测数据',
        content: '罚款50万元',
        basis: '《大气污染防治法》第一百条',
        authority: AUTHORITY,
        serious: true,
        amount: 500000,
        decided_on: '2024-08-12',
        published_on: '2024-08-16',
        publication_ends_on: '2027-08-16',
      },
    ],
    dischargePermits: [
      { subject_code: codes[1]!, permit_number: `${codes[1]}002U`, industry: '锅炉', pollutants: [], issued_on: '2017-06-01', valid_until: '2020-05-31', status: 'EXPIRED' },
      {
        subject_code: codes[1]!,
        permit_number: `${codes[1]}001P`,
        industry: '印刷电路板制造',
        pollutants: ['化学需氧量', '氨氮', '总铜', 'VOCs'],
        issued_on: '2022-11-01',
        valid_until: '2027-10-31',
        status: 'VALID',
      },
    ],
  };
}

describe('environment subgraph', () => {
  let subgraph: SubgraphUnderTest;
  const codes = Array.from({ length: 1000 }, (_, i) => code(i));

  beforeAll(async () => {
    subgraph = await startSubgraph(environmentSubgraph);
    await writeEnvironmentRecords(subgraph.db, records(codes));
  });
  afterAll(() => subgraph?.close());

  it('resolves ratings newest year first, the latest rating, and penalties newest first', async () => {
    const [first] = await subgraph.entities(
      [codes[0]!],
      'code environment { creditRatings { year level authority assessedOn } latestRating { year level } penalties { decisionNumber violation content basis authority serious amount decidedOn publishedOn publicationEndsOn } }',
    );
    expect(first).toEqual({
      code: codes[0],
      environment: {
        creditRatings: [
          { year: 2024, level: 'BLACK', authority: AUTHORITY, assessedOn: '2025-06-30' },
          { year: 2023, level: 'BLUE', authority: AUTHORITY, assessedOn: '2024-06-30' },
        ],
        latestRating: { year: 2024, level: 'BLACK' },
        penalties: [
          {
            decisionNumber: '苏环行罚〔2024〕101号',
            violation: '篡改自动监测数据',
            content: '罚款50万元',
            basis: '《大气污染防治法》第一百条',
            authority: AUTHORITY,
            serious: true,
            amount: 500000,
            decidedOn: '2024-08-12',
            publishedOn: '2024-08-16',
            publicationEndsOn: '2027-08-16',
          },
          {
            decisionNumber: '苏环行罚〔2023〕7号',
            violation: '危险废物贮存不规范',
            content: '责令改正',
            basis: '《固体废物污染环境防治法》第一百一十二条',
            authority: AUTHORITY,
            serious: false,
            amount: null,
            decidedOn: '2023-02-01',
            publishedOn: null,
            publicationEndsOn: null,
          },
        ],
      },
    });
  });

  it('resolves discharge permits with their pollutants', async () => {
    const [holder] = await subgraph.entities([codes[1]!], 'environment { dischargePermits { permitNumber industry pollutants issuedOn validUntil status } }');
    expect(holder.environment.dischargePermits).toEqual([
      { permitNumber: `${codes[1]}001P`, industry: '印刷电路板制造', pollutants: ['化学需氧量', '氨氮', '总铜', 'VOCs'], issuedOn: '2022-11-01', validUntil: '2027-10-31', status: 'VALID' },
      { permitNumber: `${codes[1]}002U`, industry: '锅炉', pollutants: [], issuedOn: '2017-06-01', validUntil: '2020-05-31', status: 'EXPIRED' },
    ]);
  });

  it('answers an empty profile for a subject it holds nothing on', async () => {
    const unknown = code(999999);
    const [subject] = await subgraph.entities([unknown], 'code environment { creditRatings { year } latestRating { level } penalties { decisionNumber } dischargePermits { permitNumber } }');
    expect(subject).toEqual({ code: unknown, environment: { creditRatings: [], latestRating: null, penalties: [], dischargePermits: [] } });
  });

  it('resolves 1,000 subjects with one query per table, the latest rating included', async () => {
    const { result, statements } = await countQueries(subgraph.db, () =>
      subgraph.entities(codes, 'code environment { creditRatings { year } latestRating { level } penalties { decisionNumber } dischargePermits { status } }'),
    );
    expect(result).toHaveLength(1000);
    expect(result[0].environment.latestRating).toEqual({ level: 'BLACK' });
    expect(result[999].environment.latestRating).toEqual({ level: 'GREEN' });
    expect(result[1].environment.dischargePermits).toEqual([{ status: 'VALID' }, { status: 'EXPIRED' }]);
    // ratings (shared by creditRatings and latestRating), penalties, discharge permits
    // One per table read, and one for the credit office's decisions about the records (record_status, lib/record-status.ts).
    expect(statements).toHaveLength(4);
  });

  it('writes a batch all or nothing', async () => {
    const fresh = code(5000);
    const batch = records([fresh]);
    batch.penalties = [];
    batch.dischargePermits = [{ ...records(codes).dischargePermits[1]!, subject_code: fresh }]; // permit number already taken
    await expect(writeEnvironmentRecords(subgraph.db, batch)).rejects.toThrow(/duplicate key/);
    const [subject] = await subgraph.entities([fresh], 'environment { creditRatings { year } dischargePermits { permitNumber } }');
    expect(subject.environment).toEqual({ creditRatings: [], dischargePermits: [] });
  });

  it('refuses a permit status or rating level outside its enum', async () => {
    const [rating] = records(codes).creditRatings;
    const [permit] = records(codes).dischargePermits;
    const subject_code = code(6000);
    await expect(
      writeEnvironmentRecords(subgraph.db, { creditRatings: [], penalties: [], dischargePermits: [{ ...permit!, subject_code, permit_number: 'P-6000', status: 'SUSPENDED' }] }),
    ).rejects.toThrow(/check constraint/);
    await expect(
      writeEnvironmentRecords(subgraph.db, { creditRatings: [{ ...rating!, subject_code, level: 'ORANGE' }], penalties: [], dischargePermits: [] }),
    ).rejects.toThrow(/check constraint/);
  });

  it('publishes its SDL for composition', async () => {
    const result = await subgraph.graphql('{ _service { sdl } }');
    expect(result.data._service.sdl).toContain('type EnvironmentProfile');
  });
});
