/**
 * What every department subgraph does with the caller the gateway forwards
 * (lib/subgraph.ts, lib/personal-data.ts, lib/disclosure.ts): only requests
 * the gateway signed are answered; natural persons are masked unless the
 * caller holds `personal`; a caller without `records` sees what the rules
 * publish, while the credit office's evidence for a check stays whole.
 */
import { marketSubgraph } from '../../subgraphs/market';
import { courtsSubgraph } from '../../subgraphs/courts';
import { environmentSubgraph } from '../../subgraphs/environment';
import { writeMarketRecords } from '../../subgraphs/market/store';
import { writeCourtRecords } from '../../subgraphs/courts/store';
import { writeEnvironmentRecords } from '../../subgraphs/environment/store';
import { buildResidentId, buildUscc } from '../../lib/identifiers';
import { todayInChina } from '../../lib/clock';
import { disclosedTo, isDisclosed } from '../../lib/disclosure';
import { personFor } from '../../lib/personal-data';
import { IDENTITY_HEADER, signIdentity } from '../../lib/auth/identity-header';
import { countQueries, forwardedIdentity, startSubgraph, type CallerOverride, type SubgraphUnderTest } from '../helpers/subgraph';

const code = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(70000000 + n).slice(0, 8) });

/** ISO date `days` from today in China (negative: in the past). */
function day(days: number): string {
  const today = new Date(`${todayInChina()}T00:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

const PUBLIC: CallerOverride = { role: 'PUBLIC' };
const TRADING: CallerOverride = { role: 'TRADING_PLATFORM' };
const APPROVAL: CallerOverride = { role: 'APPROVAL_SYSTEM' };
const DEPARTMENT: CallerOverride = { role: 'DEPARTMENT' };

const REP = { name: '张三丰', id: buildResidentId('110101', '19800307', '123') };

describe('the disclosure rules (lib/disclosure.ts)', () => {
  const today = '2026-06-15';
  it('publishes a penalty from its publication day until the day its publication ends', () => {
    const penalty = (publishedOn: string | null, publicationEndsOn: string | null) => isDisclosed('penalty', { publishedOn, publicationEndsOn }, today);
    expect(penalty('2026-06-15', '2029-06-15')).toBe(true);
    expect(penalty('2026-06-16', '2029-06-16')).toBe(false); // not yet published
    expect(penalty(null, null)).toBe(false); // never published
    expect(penalty('2023-06-15', '2026-06-15')).toBe(false); // publication ended today
    expect(penalty('2023-06-16', '2026-06-16')).toBe(true);
    expect(penalty('2026-01-01', null)).toBe(true); // no end recorded
  });
  it('publishes a licence once published and while valid (valid through its last day)', () => {
    const licence = (publishedOn: string | null, validUntil: string | null) => isDisclosed('licence', { publishedOn, validUntil }, today);
    expect(licence('2026-01-01', null)).toBe(true);
    expect(licence('2026-01-01', '2026-06-15')).toBe(true);
    expect(licence('2026-01-01', '2026-06-14')).toBe(false);
    expect(licence(null, null)).toBe(false);
    expect(licence('2026-06-16', null)).toBe(false);
  });
  it('publishes list entries while in force and dishonest debtors until removed', () => {
    expect(isDisclosed('listEntry', { listedOn: '2026-01-01', removedOn: null }, today)).toBe(true);
    expect(isDisclosed('listEntry', { listedOn: '2026-01-01', removedOn: '2026-06-15' }, today)).toBe(false);
    expect(isDisclosed('listEntry', { listedOn: '2026-01-01', removedOn: '2026-06-16' }, today)).toBe(true);
    expect(isDisclosed('listEntry', { listedOn: '2026-06-16', removedOn: null }, today)).toBe(false);
    expect(isDisclosed('dishonestDebtor', { removedOn: null }, today)).toBe(true);
    expect(isDisclosed('dishonestDebtor', { removedOn: '2026-06-01' }, today)).toBe(false);
  });
  it('leaves every row to a caller with `records`', () => {
    const rows = [{ removedOn: '2020-01-01' }, { removedOn: null }];
    expect(disclosedTo({ scopes: ['public', 'records'] }, 'dishonestDebtor', rows, today)).toEqual(rows);
    expect(disclosedTo({ scopes: ['public'] }, 'dishonestDebtor', rows, today)).toEqual([{ removedOn: null }]);
  });
  it('masks a person unless the caller holds `personal`', () => {
    expect(personFor({ scopes: ['public', 'records'] }, REP.name, REP.id)).toEqual({ name: '张**', residentId: `${REP.id.slice(0, 6)}********${REP.id.slice(14)}` });
    expect(personFor({ scopes: ['personal'] }, REP.name, REP.id)).toEqual({ name: REP.name, residentId: REP.id });
  });
});

describe('a subgraph answers only the gateway', () => {
  let subgraph: SubgraphUnderTest;
  beforeAll(async () => {
    subgraph = await startSubgraph(marketSubgraph);
  });
  afterAll(() => subgraph?.close());

  const QUERY = '{ _service { sdl } }';
  const BODY = { query: QUERY };
  const post = (headers: Record<string, string>) =>
    subgraph.app.inject({ method: 'POST', url: '/graphql', payload: BODY, headers });

  it('answers a request the gateway signed', async () => {
    const response = await post({ [IDENTITY_HEADER]: subgraph.sign(undefined, undefined, { body: BODY }) });
    expect(response.statusCode).toBe(200);
    expect(response.json().data._service.sdl).toContain('MarketProfile');
    expect((await subgraph.graphql(QUERY)).errors).toBeUndefined();
  });

  it('refuses unsigned, malformed, forged, expired, misdirected and replayed requests with 401 and a GraphQL UNAUTHENTICATED error', async () => {
    const once = subgraph.sign(APPROVAL, undefined, { body: BODY });
    expect((await post({ [IDENTITY_HEADER]: once })).statusCode).toBe(200);
    const [body, signature] = subgraph.sign(PUBLIC, undefined, { body: BODY }).split('.') as [string, string];
    const promoted = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), role: 'CREDIT_OFFICE', scopes: ['public', 'records', 'personal'] })).toString('base64url');
    const cases: [Record<string, string>, string][] = [
      [{}, 'MISSING'],
      [{ [IDENTITY_HEADER]: 'garbage' }, 'MALFORMED'],
      [{ [IDENTITY_HEADER]: `${promoted}.${signature}` }, 'BAD_SIGNATURE'], // a PUBLIC token promoted by hand
      [{ [IDENTITY_HEADER]: signIdentity(forwardedIdentity(APPROVAL), 'some-other-deployments-key-0123456789abcdef', { audience: 'market', method: 'POST', target: '/graphql', body: JSON.stringify(BODY) }) }, 'BAD_SIGNATURE'],
      [{ [IDENTITY_HEADER]: subgraph.sign(APPROVAL, Date.now() - 5 * 60_000, { body: BODY }) }, 'EXPIRED'],
      [{ [IDENTITY_HEADER]: subgraph.sign(APPROVAL, Date.now() + 5 * 60_000, { body: BODY }) }, 'EXPIRED'],
      // Made for another subgraph, another path, another body, or sent a second time.
      [{ [IDENTITY_HEADER]: subgraph.sign(APPROVAL, undefined, { body: BODY, audience: 'tax' }) }, 'WRONG_AUDIENCE'],
      [{ [IDENTITY_HEADER]: subgraph.sign(APPROVAL, undefined, { body: BODY, target: '/internal/record-status' }) }, 'WRONG_TARGET'],
      [{ [IDENTITY_HEADER]: subgraph.sign(APPROVAL, undefined, { body: { query: '{ __typename }' } }) }, 'WRONG_BODY'],
      [{ [IDENTITY_HEADER]: once }, 'REPLAYED'],
    ];
    for (const [headers, reason] of cases) {
      const response = await post(headers);
      expect({ reason, status: response.statusCode, type: response.headers['content-type'], body: response.json() }).toEqual({
        reason,
        status: 401,
        type: expect.stringContaining('application/json'),
        body: { errors: [{ message: expect.stringContaining(IDENTITY_HEADER), extensions: { code: 'UNAUTHENTICATED', reason } }] },
      });
    }
    // The helper's own switch for a direct call around the gateway.
    expect(await subgraph.graphql(QUERY, undefined, { signed: false })).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED', reason: 'MISSING' } }],
    });
  });

  it('refuses a GET query just the same', async () => {
    const response = await subgraph.app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(QUERY)}` });
    expect(response.statusCode).toBe(401);
    expect(response.json().errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'MISSING' });
  });

  it('keeps the operations endpoints open', async () => {
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      expect({ url, status: (await subgraph.app.inject({ method: 'GET', url })).statusCode }).toEqual({ url, status: 200 });
    }
  });
});

describe('what each caller sees', () => {
  let market: SubgraphUnderTest;
  let courts: SubgraphUnderTest;
  let environment: SubgraphUnderTest;
  const [subject, other] = [code(1), code(2)];

  const penalty = (decision: string, publishedOn: string | null, publicationEndsOn: string | null) => ({
    decision_number: decision,
    violation: '违法行为',
    content: '罚款',
    basis: '依据',
    authority: '执法机关',
    serious: false,
    amount: 1000,
    decided_on: day(-400),
    published_on: publishedOn,
    publication_ends_on: publicationEndsOn,
  });

  beforeAll(async () => {
    [market, courts, environment] = await Promise.all([
      startSubgraph(marketSubgraph),
      startSubgraph(courtsSubgraph),
      startSubgraph(environmentSubgraph),
    ]);
    await writeMarketRecords(market.db, {
      registrations: [subject, other].map((c) => ({
        subject_code: c,
        name: `公司${c.slice(-4)}`,
        entity_type: 'ENTERPRISE',
        legal_rep_name: REP.name,
        legal_rep_id: REP.id,
        registered_capital: 100,
        established_on: '2015-03-01',
        status: 'ACTIVE',
        address: '北京市朝阳区',
        business_scope: '软件开发',
        registration_authority: '朝阳区市场监管局',
      })),
      licences: [
        { decision: 'L-VALID', publishedOn: day(-30), validUntil: null },
        { decision: 'L-LAST-DAY', publishedOn: day(-30), validUntil: day(0) },
        { decision: 'L-EXPIRED', publishedOn: day(-300), validUntil: day(-1) },
        { decision: 'L-UNPUBLISHED', publishedOn: null, validUntil: null },
      ].map((l, i) => ({
        subject_code: subject,
        decision_number: l.decision,
        licence_name: '食品经营许可',
        content: '许可',
        authority: '朝阳区市场监管局',
        decided_on: day(-40 - i),
        valid_from: day(-40),
        valid_until: l.validUntil,
        published_on: l.publishedOn,
      })),
      penalties: [
        { subject_code: subject, area: 'OTHER', ...penalty('P-PUBLISHED', day(-10), day(1000)) },
        { subject_code: subject, area: 'OTHER', ...penalty('P-ENDED', day(-1200), day(0)) },
        { subject_code: subject, area: 'OTHER', ...penalty('P-UNPUBLISHED', null, null) },
      ],
      abnormalOperations: [
        { subject_code: subject, reason: '在列', authority: 'a', listed_on: day(-100), removed_on: null, removal_reason: null },
        { subject_code: subject, reason: '已移出', authority: 'a', listed_on: day(-500), removed_on: day(-50), removal_reason: '补报年报' },
      ],
      seriousViolations: [
        { subject_code: subject, reason: '在列', authority: 'a', listed_on: day(-100), removed_on: day(10) },
        { subject_code: subject, reason: '已移出', authority: 'a', listed_on: day(-900), removed_on: day(-1) },
      ],
      spotChecks: [],
    });
    await writeCourtRecords(courts.db, {
      dishonestDebtors: [
        { case: 'D-LISTED', removedOn: null },
        { case: 'D-REMOVED', removedOn: day(-20) },
      ].map((d) => ({
        subject_code: subject,
        case_number: d.case,
        court: '朝阳区人民法院',
        basis_document: '判决书',
        obligation: '支付货款',
        performance_status: 'NOT_PERFORMED',
        dishonest_conduct: '拒不履行',
        listed_on: day(-200),
        removed_on: d.removedOn,
      })),
      consumptionRestrictions: [
        {
          subject_code: subject,
          case_number: 'R-1',
          court: '朝阳区人民法院',
          restricted_person_name: REP.name,
          restricted_person_id: REP.id,
          restrictions: ['FLIGHTS'],
          issued_on: day(-100),
          lifted_on: null,
        },
        {
          // An order on the person: their own code is the subject key and stays whole.
          subject_code: REP.id,
          case_number: 'R-2',
          court: '朝阳区人民法院',
          restricted_person_name: REP.name,
          restricted_person_id: REP.id,
          restrictions: ['FLIGHTS'],
          issued_on: day(-90),
          lifted_on: null,
        },
      ],
      enforcementCases: [],
    });
    await writeEnvironmentRecords(environment.db, {
      creditRatings: [],
      penalties: [
        { subject_code: subject, ...penalty('E-PUBLISHED', day(0), day(1095)) },
        { subject_code: subject, ...penalty('E-NOT-YET', day(1), day(1096)) },
        { subject_code: subject, ...penalty('E-ENDED', day(-1100), day(-5)) },
      ],
      dischargePermits: [],
    });
  });
  afterAll(async () => {
    await Promise.all([market?.close(), courts?.close(), environment?.close()]);
  });

  const MARKET = 'market { licences { decisionNumber } penalties { decisionNumber } abnormalOperations { reason } seriousViolations { reason } }';
  const marketOf = async (as: CallerOverride) => {
    const [profile] = await market.entities<{ market: Record<string, Record<string, string>[]> }>([subject], MARKET, { as });
    const first = (rows: Record<string, string>[] | undefined) => (rows ?? []).map((row) => Object.values(row)[0]);
    const m = profile!.market;
    return { licences: first(m.licences), penalties: first(m.penalties), abnormal: first(m.abnormalOperations), serious: first(m.seriousViolations) };
  };
  const FULL_MARKET = {
    licences: ['L-VALID', 'L-LAST-DAY', 'L-EXPIRED', 'L-UNPUBLISHED'],
    penalties: ['P-PUBLISHED', 'P-ENDED', 'P-UNPUBLISHED'],
    abnormal: ['在列', '已移出'],
    serious: ['在列', '已移出'],
  };
  const PUBLISHED_MARKET = { licences: ['L-VALID', 'L-LAST-DAY'], penalties: ['P-PUBLISHED'], abnormal: ['在列'], serious: ['在列'] };

  it('market: PUBLIC and other callers without `records` see what is published; `records` sees everything', async () => {
    const sorted = (view: Record<string, (string | undefined)[]>) => Object.fromEntries(Object.entries(view).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(await marketOf(PUBLIC))).toEqual(sorted(PUBLISHED_MARKET));
    expect(sorted(await marketOf(TRADING))).toEqual(sorted(PUBLISHED_MARKET));
    expect(sorted(await marketOf({ role: 'FINANCIAL_INSTITUTION' }))).toEqual(sorted(PUBLISHED_MARKET));
    expect(sorted(await marketOf(APPROVAL))).toEqual(sorted(FULL_MARKET));
    expect(sorted(await marketOf(DEPARTMENT))).toEqual(sorted(FULL_MARKET));
  });

  it('market: still one statement per table, whoever asks', async () => {
    const { statements } = await countQueries(market.db, () => market.entities([subject, other, code(3)], MARKET, { as: PUBLIC }));
    // One per table read, and one for the credit office's decisions about the records (record_status, lib/record-status.ts).
    expect(statements).toHaveLength(5);
  });

  it("market: the credit office's evidence for a check is not filtered (a verdict must not depend on who asks)", async () => {
    const result = await market.graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { market { penalties { decisionNumber } abnormalOperations { reason } } } } }`,
      { r: [{ __typename: 'CreditCheck', code: subject }] },
      { as: PUBLIC },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities[0].market.penalties).toHaveLength(3);
    expect(result.data._entities[0].market.abnormalOperations).toHaveLength(2);
  });

  it('courts: dishonest debtors not removed for callers without `records`', async () => {
    const cases = async (as: CallerOverride) =>
      (await courts.entities([subject], 'courts { dishonestDebtors { caseNumber } }', { as }))[0].courts.dishonestDebtors.map((d: { caseNumber: string }) => d.caseNumber).sort();
    expect(await cases(PUBLIC)).toEqual(['D-LISTED']);
    expect(await cases(APPROVAL)).toEqual(['D-LISTED', 'D-REMOVED']);
  });

  it('environment: penalties within their publication period for callers without `records`', async () => {
    const decisions = async (as: CallerOverride) =>
      (await environment.entities([subject], 'environment { penalties { decisionNumber } }', { as }))[0].environment.penalties.map((p: { decisionNumber: string }) => p.decisionNumber).sort();
    expect(await decisions(PUBLIC)).toEqual(['E-PUBLISHED']);
    expect(await decisions(APPROVAL)).toEqual(['E-ENDED', 'E-NOT-YET', 'E-PUBLISHED']);
  });

  it('market: the legal representative is masked unless the caller holds `personal`', async () => {
    const masked = { name: '张**', residentId: `${REP.id.slice(0, 6)}********${REP.id.slice(14)}` };
    const rep = async (as: CallerOverride) =>
      (await market.entities([subject], 'market { registration { legalRepresentative { name residentId } } }', { as }))[0].market.registration.legalRepresentative;
    expect(await rep(PUBLIC)).toEqual(masked);
    expect(await rep(APPROVAL)).toEqual(masked);
    expect(await rep(DEPARTMENT)).toEqual({ name: REP.name, residentId: REP.id });
    expect(await rep({ role: 'CREDIT_OFFICE' })).toEqual({ name: REP.name, residentId: REP.id });
    // The evidence a check passes on to its caller as CreditCheck.legalRepresentative is masked the same way.
    const evidence = await market.graphql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on CreditCheck { market { registration { legalRepresentative { name residentId } } } } } }`,
      { r: [{ __typename: 'CreditCheck', code: subject }] },
      { as: TRADING },
    );
    expect(evidence.data._entities[0].market.registration.legalRepresentative).toEqual(masked);
  });

  it("courts: the restricted person is masked unless the caller holds `personal`; a person's own code is never masked", async () => {
    const masked = { name: '张**', residentId: `${REP.id.slice(0, 6)}********${REP.id.slice(14)}` };
    const orders = async (as: CallerOverride, of: string) =>
      (await courts.entities([of], 'code courts { consumptionRestrictions { caseNumber restrictedSubjectCode restrictedPerson { name residentId } } }', { as }))[0];
    expect((await orders(APPROVAL, subject)).courts.consumptionRestrictions).toEqual([{ caseNumber: 'R-1', restrictedSubjectCode: subject, restrictedPerson: masked }]);
    expect((await orders(DEPARTMENT, subject)).courts.consumptionRestrictions).toEqual([
      { caseNumber: 'R-1', restrictedSubjectCode: subject, restrictedPerson: { name: REP.name, residentId: REP.id } },
    ]);
    const person = await orders(PUBLIC, REP.id);
    expect(person.code).toBe(REP.id);
    expect(person.courts.consumptionRestrictions.map((o: { restrictedSubjectCode: string }) => o.restrictedSubjectCode).sort()).toEqual([REP.id, subject].sort());
    for (const order of person.courts.consumptionRestrictions) expect(order.restrictedPerson).toEqual(masked);
  });
});
