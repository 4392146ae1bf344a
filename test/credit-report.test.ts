/**
 * Credit reports: Subject.creditReport renders the records the gateway hands over (its @requires
 * is the website's REPORT_SELECTION), marks a disputed record, registers the number with the PDF's
 * SHA-256, and verifyCreditReport tells a genuine, unaltered report from an altered number or file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse, print, type DirectiveNode, type StringValueNode } from 'graphql';
import { creditSubgraph } from '../subgraphs/credit';
import { REPORT_RENDERING, REPORT_WAITING, withRenderSlot } from '../subgraphs/credit/reports';
import { markableRecords, REPORT_NUMBER, REPORT_SELECTION, reportSections, type ReportRecords } from '../lib/credit-report';
import { buildResidentId, buildUscc, maskResidentId } from '../lib/identifiers';
import { ROOT_DIR } from '../lib/config';
import { timeInChina } from '../lib/clock';
import { startSubgraph, type SubgraphUnderTest } from './helpers/subgraph';
import * as fontkit from 'fontkit';
import { CHINESE_FONT_PATH } from '../lib/fonts';
import { woff2ToOpenType } from '../subgraphs/credit/report-font';
import { pdfText } from './helpers/pdf';

const code = buildUscc({ authority: '9', entityType: '1', division: '440106', organisationBody: '30303030' });
const PENALTY_ID = 'administrative_penalty/穗天市监罚〔2026〕88号';

const records: ReportRecords = {
  name: '广州诚信建筑工程有限公司',
  market: {
    registration: {
      name: '广州诚信建筑工程有限公司', entityType: 'ENTERPRISE', legalRepresentative: { name: '王**', residentId: '440106********1234' },
      registeredCapital: 500, establishedOn: '2012-05-01', status: 'ACTIVE', address: '广州市天河区', businessScope: '房屋建筑工程施工',
      registrationAuthority: '广州市天河区市场监督管理局',
    },
    licences: [],
    penalties: [{
      recordId: PENALTY_ID, decisionNumber: '穗天市监罚〔2026〕88号', violation: '未按规定设置安全警示标志', content: '罚款2万元',
      basis: '《安全生产法》第九十九条', authority: '广州市天河区应急管理局', decidedOn: '2026-03-02', publishedOn: '2026-03-06', publicationEndsOn: '2029-03-06',
    }],
    abnormalOperations: [],
    seriousViolations: [],
  },
  tax: { creditRatings: [{ recordId: 'tax_credit_rating/x/2025', year: 2025, level: 'B', assessedOn: '2026-04-01', taxAuthority: '国家税务总局广州市天河区税务局' }], majorViolations: [] },
  courts: { dishonestDebtors: [], consumptionRestrictions: [] },
  environment: { creditRatings: [], penalties: [] },
};

const REPORT = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { creditReport { number code subjectName issuedAt sha256 pdf verificationUrl } } } }`;
const REGISTERED = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { registered } } }`;
const VERIFY = `query($n: String!, $d: String) { verifyCreditReport(number: $n, sha256: $d) { number genuine code subjectName issuedAt sha256 unaltered } }`;
const VERIFY_KIND = `query($n: String!) { verifyCreditReport(number: $n) { genuine code subjectKind } }`;
const CONTENT = `query($n: String!) { verifyCreditReport(number: $n) { issuedToRole content { sections { id title department note entryCount entries { title mark authority basis fields { label value } withdrawnSinceIssue } } } } }`;

const person = buildResidentId('320583', '19880305', '656');
const nothing: ReportRecords = { name: null, market: { registration: null, licences: [], penalties: [], abnormalOperations: [], seriousViolations: [] }, tax: { creditRatings: [], majorViolations: [] }, courts: { dishonestDebtors: [], consumptionRestrictions: [] }, environment: { creditRatings: [], penalties: [] } };
/** A natural person the courts list as a dishonest debtor (the person's records, as PUBLIC reads them). */
const debtor: ReportRecords = {
  ...nothing,
  courts: {
    dishonestDebtors: [{ recordId: `dishonest_debtor/${maskResidentId(person)}/（2025）苏0583执88号`, caseNumber: '（2025）苏0583执88号', court: '昆山市人民法院', basisDocument: '（2024）苏0583民初1号', obligation: '支付货款', performanceStatus: 'NOT_PERFORMED', dishonestConduct: '有履行能力而拒不履行', listedOn: '2025-06-01', removedOn: null }],
    consumptionRestrictions: [],
  },
};

function requiresOfSubjectField(name: string): string {
  const sdl = parse(fs.readFileSync(path.join(ROOT_DIR, 'schema', 'credit.graphql'), 'utf8'));
  for (const definition of sdl.definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || definition.name?.value !== 'Subject') continue;
    for (const field of definition.fields) {
      if (field.name.value !== name) continue;
      const requires = field.directives?.find((d: DirectiveNode) => d.name.value === 'requires');
      return (requires?.arguments?.[0]?.value as StringValueNode).value;
    }
  }
  throw new Error(`Subject.${name} has no @requires`);
}

const normalised = (selection: string) => print(parse(`{ ${selection} }`));

describe('the sections of a public record (lib/credit-report.ts)', () => {
  const lists = [{ kind: 'BLACK', reason: '失信被执行人', department: 'COURTS', sourceRecord: 'dishonest_debtor/x/1', since: '2025-01-02', until: null }];

  it('lists every section in order, each record with its authority and basis, in either language', () => {
    const zh = reportSections(records, lists, 'zh');
    expect(zh.map((section) => section.id)).toEqual(['registration', 'lists', 'licences', 'penalties', 'abnormal', 'serious', 'taxRatings', 'taxViolations', 'debtors', 'restrictions', 'envRatings', 'envPenalties']);
    const penalty = zh.find((section) => section.id === 'penalties')!.items[0]!;
    expect(penalty).toMatchObject({ title: '穗天市监罚〔2026〕88号', authority: '广州市天河区应急管理局', basis: '《安全生产法》第九十九条', mark: null });
    expect(zh.find((section) => section.id === 'lists')!.items[0]).toMatchObject({ title: '黑名单：失信被执行人', authority: '人民法院' });
    expect(zh.find((section) => section.id === 'debtors')).toMatchObject({ items: [], note: '无记录' });
    const en = reportSections(records, lists, 'en');
    expect(en.find((section) => section.id === 'lists')!.items[0]).toMatchObject({ title: 'Black list：失信被执行人', authority: "People's courts" });
  });

  it('says a department did not answer rather than showing it as holding nothing', () => {
    const sections = reportSections({ ...records, tax: null }, lists, 'zh');
    for (const id of ['taxRatings', 'taxViolations']) {
      expect(sections.find((section) => section.id === id)).toMatchObject({ items: [], note: '该部门暂未响应，本部分信息不完整' });
    }
    expect(sections.find((section) => section.id === 'penalties')!.note).toBeNull();
  });

  it("puts the credit office's marks on the records they name, and nowhere else", () => {
    const sections = reportSections(records, lists, 'zh', new Map([[PENALTY_ID, 'DISPUTED'], ['dishonest_debtor/x/1', 'CORRECTED_OR_REPAIRED']]));
    expect(sections.find((section) => section.id === 'penalties')!.items[0]!.mark).toBe('DISPUTED');
    expect(sections.find((section) => section.id === 'lists')!.items[0]!.mark).toBe('CORRECTED_OR_REPAIRED');
    expect(sections.find((section) => section.id === 'taxRatings')!.items[0]!.mark).toBeNull();
    expect(markableRecords(records)).toEqual([{ department: 'MARKET', recordId: PENALTY_ID }, { department: 'TAX', recordId: 'tax_credit_rating/x/2025' }]);
  });

  it("marks a record its department says is disputed, with the verification's dates, and names each record for an objection", () => {
    const disputed: ReportRecords = {
      ...records,
      tax: { ...records.tax!, creditRatings: [{ ...records.tax!.creditRatings[0]!, dispute: { since: '2026-11-20', verifyBy: '2026-12-10' } }] },
    };
    const sections = reportSections(disputed, lists, 'zh');
    const rating = sections.find((section) => section.id === 'taxRatings')!.items[0]!;
    expect(rating.mark).toBe('DISPUTED');
    expect(rating.fields).toContainEqual(['异议核查期间', '2026-11-20 – 2026-12-10']);
    expect(rating.record).toEqual({ department: 'TAX', recordId: 'tax_credit_rating/x/2025', repairable: false });
    const penalty = sections.find((section) => section.id === 'penalties')!.items[0]!;
    expect(penalty).toMatchObject({ mark: null, record: { department: 'MARKET', recordId: PENALTY_ID, repairable: true } });
    expect(penalty.fields.map(([name]) => name)).not.toContain('异议核查期间');
    expect(sections.find((section) => section.id === 'registration')!.items[0]!.record).toBeUndefined();
  });

  it('offers repair on the records credit repair applies to, and on no other (issue 16 review: a debtor record offered it, always refused)', () => {
    const many: ReportRecords = {
      ...records,
      market: {
        ...records.market!,
        abnormalOperations: [{ recordId: 'abnormal_operations_entry/x/1', reason: '未按期公示年报', authority: '区市场监管局', listedOn: '2025-07-01', removedOn: null, removalReason: null }],
        seriousViolations: [{ recordId: 'serious_violation_entry/x/1', reason: '提交虚假材料', authority: '市市场监管局', listedOn: '2025-01-01', removedOn: null }],
      },
      courts: {
        dishonestDebtors: [{ recordId: 'dishonest_debtor/x/（2025）粤0106执1号', caseNumber: '（2025）粤0106执1号', court: '天河区人民法院', basisDocument: '判决书', obligation: '付款', performanceStatus: 'NOT_PERFORMED', dishonestConduct: '拒不履行', listedOn: '2025-05-01', removedOn: null }],
        consumptionRestrictions: [{ recordId: 'consumption_restriction/x/1', caseNumber: '（2025）粤0106执1号', court: '天河区人民法院', restrictedPerson: null, restrictions: ['FLIGHTS'], issuedOn: '2025-05-01', liftedOn: null }],
      },
      environment: { creditRatings: [], penalties: [{ ...records.market!.penalties[0]!, recordId: 'environmental_penalty/x/1' }] },
    };
    const entries = [
      { kind: 'BLACK', reason: '违背信用承诺', department: 'CREDIT_OFFICE', sourceRecord: 'credit_commitment/12', since: '2026-01-02', until: null },
      { kind: 'BLACK', reason: '失信被执行人', department: 'COURTS', sourceRecord: 'dishonest_debtor/x/（2025）粤0106执1号', since: '2025-05-01', until: null },
    ];
    const repairable = Object.fromEntries(reportSections(many, entries, 'zh').flatMap((section) => section.items.flatMap((item) => (item.record ? [[item.record.recordId, item.record.repairable]] : []))));
    expect(repairable).toEqual({
      'credit_commitment/12': true, 'dishonest_debtor/x/（2025）粤0106执1号': false, [PENALTY_ID]: true, 'abnormal_operations_entry/x/1': true, 'serious_violation_entry/x/1': true,
      'tax_credit_rating/x/2025': false, 'consumption_restriction/x/1': false, 'environmental_penalty/x/1': true,
    });
  });

  it('shows the repair notices in publication as a section after the lists, and none when there are none', () => {
    const notice = { department: 'MARKET', recordId: PENALTY_ID, recordKind: 'ADMINISTRATIVE_PENALTY', repairedOn: '2026-11-30', rectification: ['COMMITMENT', 'TRAINING'], publishedUntil: '2026-12-09' };
    const sections = reportSections(records, lists, 'zh', new Map(), [notice]);
    expect(sections.map((section) => section.id).slice(0, 3)).toEqual(['registration', 'lists', 'repairNotices']);
    expect(sections.find((section) => section.id === 'repairNotices')!.items[0]).toMatchObject({
      title: '市场监管部门：行政处罚',
      fields: [['依据记录', PENALTY_ID], ['修复日期', '2026-11-30'], ['纠正失信行为', '作出信用承诺、参加信用修复培训'], ['公示截止', '2026-12-09']],
    });
    expect(reportSections(records, lists, 'en', new Map(), [notice]).find((section) => section.id === 'repairNotices')!.title).toBe('Credit repair notices');
  });
});

describe('the report font', () => {
  it('is unpacked from its WOFF2 into the same OpenType font fontkit decodes, glyph for glyph', () => {
    const woff2 = fs.readFileSync(CHINESE_FONT_PATH);
    const unpacked = fontkit.create(woff2ToOpenType(woff2)!);
    const reference = fontkit.create(woff2);
    expect(unpacked.numGlyphs).toBe(reference.numGlyphs);
    const text = '公共信用信息报告：失信被执行人（2024）粤0106执1487号';
    const glyphs = (font: fontkit.Font) => font.layout(text).glyphs.map((g) => `${g.id}:${g.path.toSVG()}`);
    expect(glyphs(unpacked)).toEqual(glyphs(reference));
  });

  it('leaves anything but an untransformed WOFF2 to fontkit', () => {
    expect(woff2ToOpenType(Buffer.from('not a font at all, not even close to forty-eight bytes long'))).toBeNull();
    // The same font with its first table marked transformed: not unpacked here.
    const transformed = Buffer.from(fs.readFileSync(CHINESE_FONT_PATH));
    transformed[48] = (transformed[48]! & 0x3f) | (1 << 6);
    expect(woff2ToOpenType(transformed)).toBeNull();
  });
});

describe('credit reports', () => {
  let credit: SubgraphUnderTest;
  beforeAll(async () => {
    credit = await startSubgraph(creditSubgraph);
  });
  afterAll(() => credit?.close());

  const issue = async (as: { role: string } = { role: 'PUBLIC' }) => {
    const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code, ...records }] }, { as });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data._entities[0].creditReport;
  };
  const verify = async (n: string, d?: string) => credit.graphql(VERIFY, { n, d }, { as: { role: 'PUBLIC' } });

  it('requires exactly the records the website shows, for the report and for whether the subject is registered', () => {
    expect(normalised(requiresOfSubjectField('creditReport'))).toBe(normalised(REPORT_SELECTION));
    expect(normalised(requiresOfSubjectField('registered'))).toBe(normalised(REPORT_SELECTION));
  });

  it('issues a PDF with the subject, its records, authority and basis, the number and the time', async () => {
    const report = await issue();
    expect(report.number).toMatch(REPORT_NUMBER);
    expect(report.verificationUrl).toBe(`http://127.0.0.1:4006/verify/${report.number}`);
    const pdf = Buffer.from(report.pdf, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(report.sha256);
    const text = await pdfText(pdf);
    for (const expected of ['公共信用信息报告', report.number, `出具时间：${timeInChina(report.issuedAt)}（北京时间）`, `统一社会信用代码：${code}`, '广州诚信建筑工程有限公司', '穗天市监罚〔2026〕88号', '广州市天河区应急管理局', '《安全生产法》第九十九条', '王**', report.verificationUrl]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('异议处理中');
    expect(text).not.toContain(report.issuedAt); // one time, in Beijing time (issue 16's review: the PDF gave both)
  });

  it('marks a record under objection as disputed in the next report', async () => {
    // The objection as the credit office's register holds it (filing it through fileObjection needs the
    // market department to confirm its record: test/e2e/workflow-binding.test.ts covers that path).
    await credit.db.query(
      `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, status, verify_by)
       VALUES ($1, 'direct', $2, 'MARKET', $3, '已整改并缴纳罚款', 'OPEN', current_date + 20)`,
      [`report-${crypto.randomUUID()}`, code, PENALTY_ID],
    );
    const text = await pdfText(Buffer.from((await issue()).pdf, 'base64'));
    expect(text).toContain('异议处理中');
  });

  it('verifies a genuine report, its unaltered file, and refuses altered ones', async () => {
    const report = await issue();
    const genuine = (await verify(report.number.toLowerCase(), report.sha256)).data.verifyCreditReport;
    expect(genuine).toEqual({
      number: report.number, genuine: true, code, subjectName: '广州诚信建筑工程有限公司', issuedAt: report.issuedAt, sha256: report.sha256, unaltered: true,
    });
    const tampered = Buffer.from(report.pdf, 'base64');
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 1;
    const alteredFile = (await verify(report.number, crypto.createHash('sha256').update(tampered).digest('hex'))).data.verifyCreditReport;
    expect(alteredFile).toMatchObject({ genuine: true, unaltered: false });
    const last = report.number.at(-1) === '0' ? '1' : '0';
    const alteredNumber = (await verify(`${report.number.slice(0, -1)}${last}`)).data.verifyCreditReport;
    expect(alteredNumber).toEqual({ number: `${report.number.slice(0, -1)}${last}`, genuine: false, code: null, subjectName: null, issuedAt: null, sha256: null, unaltered: null });
    expect((await verify('R2026')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FORMAT' });
    expect((await verify(report.number, 'abc')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DIGEST' });
  });

  it("masks a natural person's identity number when the public verifies the report", async () => {
    const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code: person, ...debtor }] }, { as: { role: 'PUBLIC' } });
    const { number, pdf } = result.data._entities[0].creditReport;
    expect((await credit.graphql(VERIFY_KIND, { n: number }, { as: { role: 'PUBLIC' } })).data.verifyCreditReport).toEqual({ genuine: true, code: maskResidentId(person), subjectKind: 'NATURAL_PERSON' });
    const asOffice = await credit.graphql(VERIFY, { n: number }, { as: { role: 'CREDIT_OFFICE' } });
    expect(asOffice.data.verifyCreditReport.code).toBe(person);
    // The report names a person as one, under the person's kind of number (issue 16's review: （未登记名称） and 统一社会信用代码).
    const text = await pdfText(Buffer.from(pdf, 'base64'));
    expect(text).toContain('信用主体：自然人（姓名不予公示）');
    expect(text).toContain(`公民身份号码：${person}`);
    expect(text).not.toContain('未登记名称');
    expect(text).not.toContain('统一社会信用代码');
  });

  it('issues no report, and registers none, when a department did not answer', async () => {
    const before = (await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n;
    const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code, ...records, courts: null }] }, { as: { role: 'PUBLIC' } });
    expect(result.data._entities[0].creditReport).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'DEPARTMENT_UNAVAILABLE', departments: ['COURTS'] });
    expect((await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n).toBe(before);
  });

  it('renders a bounded number of reports at once, queues a bounded number, and refuses the rest', async () => {
    const releases: (() => void)[] = [];
    const started: number[] = [];
    const render = (n: number) => () => new Promise<number>((resolve) => {
      started.push(n);
      releases.push(() => resolve(n));
    });
    const admitted = Array.from({ length: REPORT_RENDERING + REPORT_WAITING }, (_, n) => withRenderSlot(render(n)));
    await expect(withRenderSlot(render(99))).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await Promise.resolve();
    expect(started).toEqual([0, 1]); // only two render at once; the rest wait their turn
    // Releasing one lets exactly the next one in, in order.
    releases.shift()!();
    await admitted[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(admitted)).toEqual(admitted.map((_, n) => n));
    // Free again: a new report renders at once.
    const next = withRenderSlot(render(100));
    await Promise.resolve();
    expect(started.at(-1)).toBe(100);
    releases.shift()!();
    expect(await next).toBe(100);
  });

  it('issues no report of a subject nobody knows, and says it is not registered (issue 16 review: a clean report of a valid code nobody has)', async () => {
    const shell = buildUscc({ authority: '9', entityType: '1', division: '110000', organisationBody: '00000000' });
    const before = (await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n;
    const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code: shell, ...nothing }] }, { as: { role: 'PUBLIC' } });
    expect(result.data._entities[0].creditReport).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_REGISTERED', input: shell });
    expect((await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n).toBe(before);
    const registered = async (subject: Record<string, unknown>) => (await credit.graphql(REGISTERED, { r: [{ __typename: 'Subject', ...subject }] }, { as: { role: 'PUBLIC' } })).data._entities[0].registered;
    expect(await registered({ code: shell, ...nothing })).toBe(false);
    expect(await registered({ code, ...records })).toBe(true);
    expect(await registered({ code: person, ...debtor })).toBe(true);
    // A department that did not answer might know it: neither registered nor not.
    expect(await registered({ code: shell, ...nothing, tax: null })).toBeNull();
  });

  it("registers what each report held, section by section, and shows it to whoever verifies a public report's number", async () => {
    const report = await issue();
    const { content, issuedToRole } = (await credit.graphql(CONTENT, { n: report.number }, { as: { role: 'PUBLIC' } })).data.verifyCreditReport;
    expect(issuedToRole).toBe('PUBLIC');
    const section = (id: string) => content.sections.find((s: { id: string }) => s.id === id);
    expect(content.sections.map((s: { id: string }) => s.id)).toEqual(reportSections(records, [], 'zh').map((s) => s.id));
    expect(section('registration')).toMatchObject({ title: '登记信息', department: '市场监管部门', entryCount: 1, entries: [{ title: '广州诚信建筑工程有限公司', mark: null }] });
    expect(section('penalties')).toMatchObject({ entryCount: 1, entries: [{ title: '穗天市监罚〔2026〕88号' }] });
    expect(section('debtors')).toMatchObject({ note: '无记录', entryCount: 0, entries: [] });
    // A person's report: masked in what is registered, whoever it was issued to.
    const office = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code: person, ...debtor }] }, { as: { role: 'CREDIT_OFFICE' } });
    const personal = office.data._entities[0].creditReport.number;
    const [row] = await credit.db.query<{ content: unknown }>('SELECT content FROM credit_report WHERE number = $1', [personal]);
    expect(JSON.stringify(row!.content)).not.toContain(person);
    // Issued to the credit office, its content is not the public's to read by number.
    expect((await credit.graphql(CONTENT, { n: personal }, { as: { role: 'PUBLIC' } })).data.verifyCreditReport).toEqual({ issuedToRole: 'CREDIT_OFFICE', content: null });
    expect((await credit.graphql(CONTENT, { n: personal }, { as: { role: 'CREDIT_OFFICE' } })).data.verifyCreditReport.content.sections).toContainEqual(
      expect.objectContaining({ id: 'debtors', entryCount: 1, entries: [expect.objectContaining({ title: '（2025）苏0583执88号', mark: null })] }),
    );
  });

  it('issues one report per request: asking for many at once registers one and refuses the rest', async () => {
    // Found by a black-box review: one request of 30 subjects issued and registered 24 reports.
    const before = (await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n;
    const result = await credit.graphql(REPORT, { r: [1, 2, 3].map(() => ({ __typename: 'Subject', code, ...records })) }, { as: { role: 'PUBLIC' } });
    expect(result.data._entities.filter((e: { creditReport: unknown } | null) => e?.creditReport)).toHaveLength(1);
    expect(result.errors!.map((e: { extensions: { reason?: string } }) => e.extensions.reason)).toEqual(['TOO_MANY_REPORTS', 'TOO_MANY_REPORTS']);
    expect((await credit.db.query<{ n: number }>('SELECT count(*)::int AS n FROM credit_report'))[0]!.n).toBe(before + 1);
  });

  it('registers every printed line of an entry, and marks one whose record was withdrawn after the report was issued', async () => {
    // Found by a black-box review: with headings alone an edited status or date matched, and a record revoked as wrong
    // still verified as standing.
    const report = await issue();
    const read = async () => (await credit.graphql(CONTENT, { n: report.number }, { as: { role: 'PUBLIC' } })).data.verifyCreditReport.content;
    const penalty = (content: any) => content.sections.find((s: { id: string }) => s.id === 'penalties').entries[0];
    const registration = (content: any) => content.sections.find((s: { id: string }) => s.id === 'registration').entries[0];
    const before = await read();
    expect(penalty(before)).toEqual(expect.objectContaining({ authority: '广州市天河区应急管理局', basis: '《安全生产法》第九十九条', withdrawnSinceIssue: false }));
    expect(penalty(before).fields.map((f: { value: string }) => f.value).join(' ')).toContain('罚款2万元');
    expect(registration(before).fields.length).toBeGreaterThan(0);
    expect(registration(before).withdrawnSinceIssue).toBeNull();
    await credit.db.query(
      `INSERT INTO objection (idempotency_key, request_fingerprint, subject_code, department, record_id, reason, status, resolved_at, correction, verify_by)
       VALUES ($1, 'direct', $2, 'MARKET', $3, '处罚有误', 'UPHELD', now(), 'REVOKED', current_date + 20)`,
      [`report-withdrawn-${report.number}`, code, PENALTY_ID],
    );
    expect(penalty(await read()).withdrawnSinceIssue).toBe(true);
    await credit.db.query(`DELETE FROM objection WHERE idempotency_key = $1`, [`report-withdrawn-${report.number}`]);
  });

  it('puts an ended list entry in no public report, and in the report of a caller that reads all records as history', async () => {
    const listed = buildUscc({ authority: '9', entityType: '1', division: '440106', organisationBody: '40404040' });
    await credit.db.query(
      `INSERT INTO list_entry (subject_code, kind, reason, department, source_record, since, until) VALUES
         ($1, 'BLACK', '失信被执行人：旧案', 'COURTS', 'dishonest_debtor/' || $1 || '/（2020）京0105执536号', '2020-03-01', '2021-03-01'),
         ($1, 'KEY_ATTENTION', '受到行政处罚：现行', 'MARKET', $2, '2026-03-06', NULL)`,
      [listed, PENALTY_ID],
    );
    const reportOf = async (role: string) => {
      const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code: listed, ...records }] }, { as: { role } });
      return pdfText(Buffer.from(result.data._entities[0].creditReport.pdf, 'base64'));
    };
    const publicText = await reportOf('PUBLIC');
    expect(publicText).toContain('重点关注名单：受到行政处罚：现行');
    expect(publicText).not.toContain('（2020）京0105执536号');
    expect(await reportOf('CREDIT_OFFICE')).toContain('黑名单：失信被执行人：旧案（已移出）');
  });

  it('registers who each report was issued to', async () => {
    const report = await issue({ role: 'CREDIT_OFFICE' });
    const [row] = await credit.db.query<{ issued_to_role: string; sha256: string }>('SELECT issued_to_role, sha256 FROM credit_report WHERE number = $1', [report.number]);
    expect(row).toEqual({ issued_to_role: 'CREDIT_OFFICE', sha256: report.sha256 });
  });
});
