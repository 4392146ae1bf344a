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
const VERIFY = `query($n: String!, $d: String) { verifyCreditReport(number: $n, sha256: $d) { number genuine code subjectName issuedAt sha256 unaltered } }`;

function requiresOfCreditReport(): string {
  const sdl = parse(fs.readFileSync(path.join(ROOT_DIR, 'schema', 'credit.graphql'), 'utf8'));
  for (const definition of sdl.definitions) {
    if (!('fields' in definition) || !definition.fields || !('name' in definition) || definition.name?.value !== 'Subject') continue;
    for (const field of definition.fields) {
      if (field.name.value !== 'creditReport') continue;
      const requires = field.directives?.find((d: DirectiveNode) => d.name.value === 'requires');
      return (requires?.arguments?.[0]?.value as StringValueNode).value;
    }
  }
  throw new Error('Subject.creditReport has no @requires');
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
    expect(rating.record).toEqual({ department: 'TAX', recordId: 'tax_credit_rating/x/2025' });
    const penalty = sections.find((section) => section.id === 'penalties')!.items[0]!;
    expect(penalty).toMatchObject({ mark: null, record: { department: 'MARKET', recordId: PENALTY_ID } });
    expect(penalty.fields.map(([name]) => name)).not.toContain('异议核查期间');
    expect(sections.find((section) => section.id === 'registration')!.items[0]!.record).toBeUndefined();
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

  it('requires exactly the records the website shows', () => {
    expect(normalised(requiresOfCreditReport())).toBe(normalised(REPORT_SELECTION));
  });

  it('issues a PDF with the subject, its records, authority and basis, the number and the time', async () => {
    const report = await issue();
    expect(report.number).toMatch(REPORT_NUMBER);
    expect(report.verificationUrl).toBe(`http://127.0.0.1:4006/verify/${report.number}`);
    const pdf = Buffer.from(report.pdf, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(report.sha256);
    const text = await pdfText(pdf);
    for (const expected of ['公共信用信息报告', report.number, report.issuedAt, code, '广州诚信建筑工程有限公司', '穗天市监罚〔2026〕88号', '广州市天河区应急管理局', '《安全生产法》第九十九条', '王**', report.verificationUrl]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('异议处理中');
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
    const person = buildResidentId('320583', '19880305', '656');
    const empty: ReportRecords = { name: null, market: { registration: null, licences: [], penalties: [], abnormalOperations: [], seriousViolations: [] }, tax: { creditRatings: [], majorViolations: [] }, courts: { dishonestDebtors: [], consumptionRestrictions: [] }, environment: { creditRatings: [], penalties: [] } };
    const result = await credit.graphql(REPORT, { r: [{ __typename: 'Subject', code: person, ...empty }] }, { as: { role: 'PUBLIC' } });
    const { number } = result.data._entities[0].creditReport;
    expect((await verify(number)).data.verifyCreditReport).toMatchObject({ genuine: true, code: maskResidentId(person) });
    const asOffice = await credit.graphql(VERIFY, { n: number }, { as: { role: 'CREDIT_OFFICE' } });
    expect(asOffice.data.verifyCreditReport.code).toBe(person);
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

  it('registers who each report was issued to', async () => {
    const report = await issue({ role: 'CREDIT_OFFICE' });
    const [row] = await credit.db.query<{ issued_to_role: string; sha256: string }>('SELECT issued_to_role, sha256 FROM credit_report WHERE number = $1', [report.number]);
    expect(row).toEqual({ issued_to_role: 'CREDIT_OFFICE', sha256: report.sha256 });
  });
});
