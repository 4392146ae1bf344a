import { courtsSubgraph } from '../../subgraphs/courts';
import { writeCourtRecords, type CourtRecords } from '../../subgraphs/courts/store';
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { countQueries, startSubgraph, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '330106', organisationBody: String(40000000 + n).slice(0, 8) });

const COURT = '杭州市西湖区人民法院';

// Legal representative of codes[0]; also restricted in a case of their own.
const ZHANG = { name: '张三丰', id: buildResidentId('110101', '19800307', '123') };
// Legal representative of codes[3] and codes[4]; no order on themselves.
const OUYANG = { name: '欧阳修文', id: buildResidentId('330106', '19751120', '041') };

const EMPTY: CourtRecords = { dishonestDebtors: [], consumptionRestrictions: [], enforcementCases: [] };

function records(codes: string[]): CourtRecords {
  // Every list is written oldest first so the order the subgraph answers in comes from its queries, not from insertion.
  return {
    dishonestDebtors: [
      {
        subject_code: codes[0]!,
        case_number: '(2022)浙0106执1234号',
        court: COURT,
        basis_document: '(2021)浙0106民初567号',
        obligation: '支付货款人民币80万元及利息',
        performance_status: 'PERFORMED',
        dishonest_conduct: '有履行能力而拒不履行生效法律文书确定义务',
        listed_on: '2022-05-10',
        removed_on: '2023-01-04',
      },
      {
        subject_code: codes[0]!,
        case_number: '(2024)浙0106执789号',
        court: COURT,
        basis_document: '(2023)浙0106民初1001号',
        obligation: '支付工程款人民币120万元',
        performance_status: 'NOT_PERFORMED',
        dishonest_conduct: '违反限制消费令',
        listed_on: '2024-07-01',
        removed_on: null,
      },
    ],
    consumptionRestrictions: [
      {
        subject_code: codes[0]!,
        case_number: '(2024)浙0106执789号',
        court: COURT,
        restricted_person_name: ZHANG.name,
        restricted_person_id: ZHANG.id,
        restrictions: ['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE'],
        issued_on: '2024-03-15',
        lifted_on: null,
      },
      {
        // An order on the person that binds that same person: must be listed once for them.
        subject_code: ZHANG.id,
        case_number: '(2024)浙0106执1500号',
        court: COURT,
        restricted_person_name: ZHANG.name,
        restricted_person_id: ZHANG.id,
        restrictions: ['LUXURY_TRAVEL'],
        issued_on: '2024-09-02',
        lifted_on: null,
      },
      {
        // An order with nobody named on it.
        subject_code: codes[2]!,
        case_number: '(2023)浙0106执55号',
        court: COURT,
        restricted_person_name: null,
        restricted_person_id: null,
        restrictions: ['STAR_HOTELS'],
        issued_on: '2023-06-01',
        lifted_on: '2023-12-01',
      },
      {
        subject_code: codes[3]!,
        case_number: '(2023)浙0106执66号',
        court: COURT,
        restricted_person_name: OUYANG.name,
        restricted_person_id: OUYANG.id,
        restrictions: ['PRIVATE_SCHOOL_FEES'],
        issued_on: '2023-02-01',
        lifted_on: null,
      },
      {
        subject_code: codes[4]!,
        case_number: '(2024)浙0106执77号',
        court: COURT,
        restricted_person_name: OUYANG.name,
        restricted_person_id: OUYANG.id,
        restrictions: ['FLIGHTS'],
        issued_on: '2024-02-01',
        lifted_on: null,
      },
    ],
    enforcementCases: [
      { subject_code: codes[1]!, case_number: '(2021)浙0106执100号', court: COURT, amount: 35000.5, filed_on: '2021-03-01', status: 'CLOSED', closed_on: '2021-09-30' },
      { subject_code: codes[1]!, case_number: '(2024)浙0106执200号', court: COURT, amount: 1280000, filed_on: '2024-04-18', status: 'PENDING', closed_on: null },
      // One case number names every joint debtor of the case.
      { subject_code: codes[2]!, case_number: '(2024)浙0106执200号', court: COURT, amount: 1280000, filed_on: '2024-04-18', status: 'PENDING', closed_on: null },
    ],
  };
}

const ORDER_FIELDS = 'caseNumber court restrictedSubjectCode restrictedPerson { name residentId } restrictions issuedOn liftedOn';
const PROFILE = `courts { dishonestDebtors { caseNumber } consumptionRestrictions { caseNumber } enforcementCases { caseNumber } }`;

describe('courts subgraph', () => {
  let subgraph: SubgraphUnderTest;
  const codes = Array.from({ length: 1000 }, (_, i) => code(i));

  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of ['dishonest_debtor', 'consumption_restriction_order', 'enforcement_case']) {
      const [row] = await subgraph.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      counts[table] = row!.n;
    }
    return counts;
  }

  beforeAll(async () => {
    subgraph = await startSubgraph(courtsSubgraph);
    await writeCourtRecords(subgraph.db, records(codes));
  });
  afterAll(() => subgraph?.close());

  it('resolves dishonest debtor entries newest first', async () => {
    const [debtor] = await subgraph.entities(
      [codes[0]!],
      'code courts { dishonestDebtors { caseNumber court basisDocument obligation performanceStatus dishonestConduct listedOn removedOn } }',
    );
    expect(debtor).toEqual({
      code: codes[0],
      courts: {
        dishonestDebtors: [
          {
            caseNumber: '(2024)浙0106执789号',
            court: COURT,
            basisDocument: '(2023)浙0106民初1001号',
            obligation: '支付工程款人民币120万元',
            performanceStatus: 'NOT_PERFORMED',
            dishonestConduct: '违反限制消费令',
            listedOn: '2024-07-01',
            removedOn: null,
          },
          {
            caseNumber: '(2022)浙0106执1234号',
            court: COURT,
            basisDocument: '(2021)浙0106民初567号',
            obligation: '支付货款人民币80万元及利息',
            performanceStatus: 'PERFORMED',
            dishonestConduct: '有履行能力而拒不履行生效法律文书确定义务',
            listedOn: '2022-05-10',
            removedOn: '2023-01-04',
          },
        ],
      },
    });
  });

  it('resolves enforcement cases newest first, a joint case under each debtor', async () => {
    const [debtor, joint] = await subgraph.entities([codes[1]!, codes[2]!], 'courts { enforcementCases { caseNumber court amount filedOn status closedOn } }');
    expect(debtor.courts.enforcementCases).toEqual([
      { caseNumber: '(2024)浙0106执200号', court: COURT, amount: 1280000, filedOn: '2024-04-18', status: 'PENDING', closedOn: null },
      { caseNumber: '(2021)浙0106执100号', court: COURT, amount: 35000.5, filedOn: '2021-03-01', status: 'CLOSED', closedOn: '2021-09-30' },
    ]);
    expect(joint.courts.enforcementCases).toEqual([
      { caseNumber: '(2024)浙0106执200号', court: COURT, amount: 1280000, filedOn: '2024-04-18', status: 'PENDING', closedOn: null },
    ]);
  });

  it('resolves consumption restriction orders on an entity, the legal representative masked', async () => {
    const [entity, unnamed] = await subgraph.entities([codes[0]!, codes[2]!], `courts { consumptionRestrictions { ${ORDER_FIELDS} } }`);
    expect(entity.courts.consumptionRestrictions).toEqual([
      {
        caseNumber: '(2024)浙0106执789号',
        court: COURT,
        restrictedSubjectCode: codes[0],
        restrictedPerson: { name: '张**', residentId: '110101********1239' },
        restrictions: ['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE'],
        issuedOn: '2024-03-15',
        liftedOn: null,
      },
    ]);
    expect(unnamed.courts.consumptionRestrictions).toEqual([
      {
        caseNumber: '(2023)浙0106执55号',
        court: COURT,
        restrictedSubjectCode: codes[2],
        restrictedPerson: null,
        restrictions: ['STAR_HOTELS'],
        issuedOn: '2023-06-01',
        liftedOn: '2023-12-01',
      },
    ]);
  });

  it('lists for a natural person the orders on them and on the entities they represent, each once', async () => {
    expect(ZHANG.id).toBe('110101198003071239');
    const [person] = await subgraph.entities([ZHANG.id], `code courts { consumptionRestrictions { ${ORDER_FIELDS} } }`);
    expect(person).toEqual({
      code: ZHANG.id,
      courts: {
        consumptionRestrictions: [
          {
            caseNumber: '(2024)浙0106执1500号',
            court: COURT,
            restrictedSubjectCode: ZHANG.id,
            restrictedPerson: { name: '张**', residentId: '110101********1239' },
            restrictions: ['LUXURY_TRAVEL'],
            issuedOn: '2024-09-02',
            liftedOn: null,
          },
          {
            caseNumber: '(2024)浙0106执789号',
            court: COURT,
            restrictedSubjectCode: codes[0],
            restrictedPerson: { name: '张**', residentId: '110101********1239' },
            restrictions: ['FLIGHTS', 'FIRST_CLASS_RAIL', 'STAR_HOTELS', 'PROPERTY_PURCHASE'],
            issuedOn: '2024-03-15',
            liftedOn: null,
          },
        ],
      },
    });
  });

  it('lists a representative of several restricted entities under each, and under the person once per order', async () => {
    const [person, first, second] = await subgraph.entities(
      [OUYANG.id, codes[3]!, codes[4]!],
      'courts { consumptionRestrictions { caseNumber restrictedSubjectCode restrictedPerson { name residentId } } }',
    );
    const masked = { name: '欧***', residentId: '330106********0410' };
    expect(person.courts.consumptionRestrictions).toEqual([
      { caseNumber: '(2024)浙0106执77号', restrictedSubjectCode: codes[4], restrictedPerson: masked },
      { caseNumber: '(2023)浙0106执66号', restrictedSubjectCode: codes[3], restrictedPerson: masked },
    ]);
    expect(first.courts.consumptionRestrictions).toEqual([{ caseNumber: '(2023)浙0106执66号', restrictedSubjectCode: codes[3], restrictedPerson: masked }]);
    expect(second.courts.consumptionRestrictions).toEqual([{ caseNumber: '(2024)浙0106执77号', restrictedSubjectCode: codes[4], restrictedPerson: masked }]);
  });

  it('never lets the unmasked identity number or name out', async () => {
    const result = await subgraph.graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { courts { consumptionRestrictions { ${ORDER_FIELDS} } } } } }`,
      { r: [codes[0], codes[3], codes[4], ZHANG.id, OUYANG.id].map((c) => ({ __typename: 'Subject', code: c })) },
    );
    expect(result.errors).toBeUndefined();
    const restrictedPersons = result.data._entities.flatMap((s: any) => s.courts.consumptionRestrictions.map((o: any) => o.restrictedPerson));
    expect(restrictedPersons).toHaveLength(7);
    const text = JSON.stringify(restrictedPersons);
    for (const secret of [ZHANG.id, ZHANG.name, OUYANG.id, OUYANG.name, '19800307', '19751120']) expect(text).not.toContain(secret);
  });

  it('answers empty lists for a subject it holds nothing on, organisation or person', async () => {
    const unknown = code(999999);
    const nobody = buildResidentId('440305', '19900101', '002');
    const subjects = await subgraph.entities([unknown, nobody], `code ${PROFILE}`);
    expect(subjects).toEqual([
      { code: unknown, courts: { dishonestDebtors: [], consumptionRestrictions: [], enforcementCases: [] } },
      { code: nobody, courts: { dishonestDebtors: [], consumptionRestrictions: [], enforcementCases: [] } },
    ]);
  });

  it('resolves 1,000 subjects, persons among them, with one query per table', async () => {
    const batch = [...codes.slice(0, 998), ZHANG.id, OUYANG.id];
    const { result, statements } = await countQueries(subgraph.db, () => subgraph.entities(batch, `code ${PROFILE}`));
    expect(result).toHaveLength(1000);
    expect(result.map((s: any) => s.code)).toEqual(batch);
    expect(result[0].courts.dishonestDebtors).toHaveLength(2);
    expect(result[1].courts.enforcementCases).toHaveLength(2);
    expect(result[997].courts).toEqual({ dishonestDebtors: [], consumptionRestrictions: [], enforcementCases: [] });
    expect(result[998].courts.consumptionRestrictions).toEqual([{ caseNumber: '(2024)浙0106执1500号' }, { caseNumber: '(2024)浙0106执789号' }]);
    expect(result[999].courts.consumptionRestrictions).toHaveLength(2);
    // dishonest debtors, consumption restriction orders (both matches in one statement), enforcement cases
    // One per table read, and one for the credit office's decisions about the records (record_status, lib/record-status.ts).
    expect(statements).toHaveLength(4);
  });

  describe('writes a batch all or nothing', () => {
    // Valid rows in every table ahead of the bad one, so a non-atomic write would leave some behind.
    // (ZHANG's order on themself is left out: its key is already stored.)
    const fresh = (): CourtRecords => {
      const batch = records([code(5000), code(5001), code(5002), code(5003), code(5004)]);
      return { ...batch, consumptionRestrictions: batch.consumptionRestrictions.filter((order) => order.subject_code !== ZHANG.id) };
    };

    it('refuses a duplicate (subject, case number) and writes none of the batch', async () => {
      const before = await rowCounts();
      const batch = fresh();
      batch.enforcementCases.push({ ...batch.enforcementCases[0]!, amount: 1 });
      await expect(writeCourtRecords(subgraph.db, batch)).rejects.toThrow(/duplicate key/);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a duplicate of a row already stored', async () => {
      const before = await rowCounts();
      const batch = fresh();
      batch.dishonestDebtors.push({ ...records(codes).dishonestDebtors[1]!, listed_on: '2025-01-01' });
      await expect(writeCourtRecords(subgraph.db, batch)).rejects.toThrow(/duplicate key/);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses an unknown restriction and writes none of the batch', async () => {
      const before = await rowCounts();
      const batch = fresh();
      batch.consumptionRestrictions.push({ ...batch.consumptionRestrictions[0]!, case_number: '(2025)浙0106执1号', restrictions: ['FLIGHTS', 'GOLF'] });
      await expect(writeCourtRecords(subgraph.db, batch)).rejects.toThrow(/check constraint/);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses an order with no restriction at all', async () => {
      const before = await rowCounts();
      await expect(
        writeCourtRecords(subgraph.db, { ...EMPTY, consumptionRestrictions: [{ ...fresh().consumptionRestrictions[0]!, restrictions: [] }] }),
      ).rejects.toThrow(/check constraint/);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a person named without an identity number, or the other way round', async () => {
      const before = await rowCounts();
      const nameOnly = fresh();
      nameOnly.consumptionRestrictions.push({ ...nameOnly.consumptionRestrictions[0]!, case_number: '(2025)浙0106执2号', restricted_person_id: null });
      await expect(writeCourtRecords(subgraph.db, nameOnly)).rejects.toThrow(/check constraint/);
      const idOnly = fresh();
      idOnly.consumptionRestrictions.push({ ...idOnly.consumptionRestrictions[0]!, case_number: '(2025)浙0106执3号', restricted_person_name: null });
      await expect(writeCourtRecords(subgraph.db, idOnly)).rejects.toThrow(/check constraint/);
      expect(await rowCounts()).toEqual(before);
    });

    it('refuses a malformed identity number and a performance or case status outside its enum', async () => {
      const before = await rowCounts();
      const [order] = fresh().consumptionRestrictions;
      const [debtor] = fresh().dishonestDebtors;
      const [enforcement] = fresh().enforcementCases;
      await expect(writeCourtRecords(subgraph.db, { ...EMPTY, consumptionRestrictions: [{ ...order!, restricted_person_id: '11010119800307123x' }] })).rejects.toThrow(/check constraint/);
      await expect(writeCourtRecords(subgraph.db, { ...EMPTY, dishonestDebtors: [{ ...debtor!, performance_status: 'REFUSED' }] })).rejects.toThrow(/check constraint/);
      await expect(writeCourtRecords(subgraph.db, { ...EMPTY, enforcementCases: [{ ...enforcement!, status: 'CLOSED', closed_on: null }] })).rejects.toThrow(/check constraint/);
      expect(await rowCounts()).toEqual(before);
    });

    it('writes the same batch once it is clean', async () => {
      const before = await rowCounts();
      await writeCourtRecords(subgraph.db, fresh());
      expect(await rowCounts()).toEqual({
        dishonest_debtor: before.dishonest_debtor! + 2,
        consumption_restriction_order: before.consumption_restriction_order! + 4,
        enforcement_case: before.enforcement_case! + 3,
      });
    });
  });

  it('publishes its SDL for composition', async () => {
    const result = await subgraph.graphql('{ _service { sdl } }');
    expect(result.data._service.sdl).toContain('type CourtProfile');
  });
});
