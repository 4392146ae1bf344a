/**
 * The second black-box review of issue 16's website (r16b), against a real graph and the web
 * process, over HTTP as a browser's form posts reach it: what the clerk or visitor reads after
 * each action the review found wrong.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { todayInChina } from '../../lib/clock';
import { openDatabase } from '../../lib/db';
import { buildUscc } from '../../lib/identifiers';
import { addDays } from '../../subgraphs/credit/policy/calendar';
import { courtDebtor, marketPenalty } from '../helpers/department-records';
import type { TestGraph } from '../helpers/graph';
import { startGraphWithWebsite, type WebProcess } from '../helpers/web';

const BEIJING_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/;

/** The text of an HTML fragment, tags dropped and entities of the escaper undone. */
const text = (fragment: string) =>
  fragment.replace(/<br>/g, ' ').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();

/** The bidder table's rows, each as its cells' text. */
const checkRows = (page: string): string[][] => {
  const body = /<table class="results check"[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => text(cell[1]!)));
};

describe('issue 16 second review (r16b) on the website', () => {
  let graph: TestGraph;
  let web: WebProcess;

  beforeAll(async () => {
    ({ graph, web } = await startGraphWithWebsite());
  }, 240_000);

  afterAll(async () => {
    await web?.stop();
    await graph?.close();
  });

  const form = (fields: Record<string, string>) => ({ 'content-type': 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
  const post = async (url: string, fields: Record<string, string>, cookie = '') => {
    const { body, ...headers } = form(fields);
    const response = await fetch(`${web.url}${url}`, { method: 'POST', headers: { ...headers, cookie }, body, redirect: 'manual' });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  const get = async (url: string, cookie = '') => {
    const response = await fetch(`${web.url}${url}`, { headers: { cookie }, redirect: 'manual' });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  /** A console session of `role`, as its cookie. */
  const logIn = async (role: keyof TestGraph['credentials'], purpose = '招标 2026-031 资格审查') => {
    const response = await post('/console/login', { apiKey: graph.credentials[role].apiKey, purpose });
    expect(response.status).toBe(303);
    return response.headers.get('set-cookie')!.split(';')[0]!;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read by field name
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ data?: any; errors?: any }> => (await graph.graphql(query, variables, headers)).body;
  let fixtures = 0;
  /** A fresh subject with a market penalty repairable today, and a pending repair application of it made by the credit office. */
  async function pendingRepair(): Promise<{ id: string; code: string; recordId: string }> {
    const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(72500000 + ++fixtures) });
    const db = await openDatabase({ schema: 'market', url: graph.databaseUrl });
    let recordId = '';
    try {
      recordId = await marketPenalty({ market: db, courts: db, environment: db }, code, addDays(todayInChina(), -150));
    } finally {
      await db.close();
    }
    const applied = await gql('mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id } }',
      { input: { subjectCode: code, department: 'MARKET', recordId, rectification: ['RECTIFICATION'], idempotencyKey: crypto.randomUUID() } }, graph.as('CREDIT_OFFICE', 'r16b'));
    expect(applied.errors).toBeUndefined();
    return { id: applied.data.applyForRepair.id, code, recordId };
  }
  /** A fresh subject with a court's debtor record, and an open objection to it filed by the credit office with `reason`. */
  async function openObjection(reason: string): Promise<{ id: string; code: string; recordId: string }> {
    const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(72600000 + ++fixtures) });
    const db = await openDatabase({ schema: 'courts', url: graph.databaseUrl });
    let recordId = '';
    try {
      recordId = await courtDebtor({ market: db, courts: db, environment: db }, code, addDays(todayInChina(), -30));
    } finally {
      await db.close();
    }
    const filed = await gql('mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }',
      { input: { subjectCode: code, department: 'COURTS', recordId, reason, idempotencyKey: crypto.randomUUID() } }, graph.as('CREDIT_OFFICE', 'r16b'));
    expect(filed.errors).toBeUndefined();
    return { id: filed.data.fileObjection.id, code, recordId };
  }
  const names = async (codes: string[]) =>
    ((await graph.graphql('query($c: [ID!]!) { subjects(codes: $c) { code name } }', { c: codes })).body as { data: { subjects: { code: string; name: string }[] } }).data.subjects;
  const check = (cookie: string, codes: string) => post('/console/check', { codes, scenario: 'PUBLIC_RESOURCE_TRADING', purpose: '招标 2026-031 资格审查' }, cookie);
  const csvOf = async (page: string, cookie: string) => {
    const id = /data-check="([^"]+)"/.exec(page)![1]!;
    return (await get(`/console/check/${id}.csv`, cookie)).body.replace(/^\uFEFF/, '').trim().split('\r\n');
  };

  it('finding 4: a name and a code of two different subjects come back 需核实 with no verdict, in the table and the CSV', async () => {
    const [debtor, clean] = await names([graph.seeded.examples.dishonestDebtor, graph.seeded.examples.clean]);
    const cookie = await logIn('TRADING_PLATFORM');
    // The debtor's name beside the clean subject's code: the code's 无限制 must not be shown for the debtor.
    const page = await check(cookie, `${debtor!.name}，${clean!.code}\n${clean!.name.replace(/（/g, '(').replace(/）/g, ')')},${clean!.code}`);
    expect(page.status).toBe(200);
    const [mismatch, sameSubject] = checkRows(page.body);
    expect(mismatch![3]).toBe('需核实');
    expect(mismatch![5]).toContain(`填报名称“${debtor!.name}”与该代码的登记名称“${clean!.name}”不一致`);
    expect(mismatch![4]).toBe('');
    // Half-width brackets are the same name.
    expect(sameSubject![3]).toBe('无限制');
    const csv = await csvOf(page.body, cookie);
    expect(csv[1]!.split(',')[5]).toBe('需核实');
    expect(csv[1]).not.toContain('无限制');
  });

  it('finding 5: refuses a line longer than 200 characters or more than 1,000 bidders in Chinese, echoing a short excerpt only, and keeps the last 5 checks', async () => {
    const cookie = await logIn('TRADING_PLATFORM');
    const huge = `9${'1'.repeat(300_000)}`;
    const refused = await check(cookie, huge);
    expect(refused.status).toBe(200);
    expect(refused.body.includes('输入过长，未核查')).toBe(true);
    expect(refused.body.length).toBeLessThan(50_000); // not echoed in the box, the table or the message
    const long = await check(cookie, `${graph.seeded.examples.clean}\n${'某'.repeat(300)}`);
    expect(long.body).toContain(`第 2 行过长（每行最多 200 个字符），未核查：“${'某'.repeat(20)}…”`);
    expect(/<div class="notice error"[^>]*>([\s\S]*?)<\/div>/.exec(long.body)![1]).not.toContain('某'.repeat(21)); // the message quotes an excerpt
    expect(checkRows(long.body)).toEqual([]);
    const many = await check(cookie, Array.from({ length: 1001 }, (_, i) => `投标人${i}`).join('\n'));
    expect(many.body).toContain('投标人过多，未核查：一次最多 1000 个');

    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(/data-check="([^"]+)"/.exec((await check(cookie, graph.seeded.examples.clean)).body)![1]!);
    expect((await get(`/console/check/${ids[0]}.csv`, cookie)).status).toBe(404);
    for (const id of ids.slice(1)) expect((await get(`/console/check/${id}.csv`, cookie)).status).toBe(200);
  });

  it('finding 6: the login pre-fills no purpose, and refuses an empty or missing one with 400 instead of recording a made-up one', async () => {
    const form = await get('/console/login');
    expect(form.body).toMatch(/<input id="purpose" name="purpose" required maxlength="500" value="">/);
    expect(form.body).not.toContain('信用办日常监管');
    for (const fields of [{ apiKey: graph.credentials.TRADING_PLATFORM.apiKey, purpose: '  ' }, { apiKey: graph.credentials.TRADING_PLATFORM.apiKey }]) {
      const refused = await post('/console/login', fields as Record<string, string>);
      expect({ status: refused.status, cookie: refused.headers.get('set-cookie') }).toEqual({ status: 400, cookie: null });
      expect(refused.body).toContain('未登录：请填写查询事由');
    }
  });

  it('finding 7: a repair application looked up and a check downloaded give their times in Beijing time, one format', async () => {
    const repair = await pendingRepair();
    const office = await logIn('CREDIT_OFFICE');
    const lookup = await get(`/console/lookup?repair=${repair.id}`, office);
    const fact = (label: string) => text(new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(lookup.body)![1]!);
    expect(fact('申请时间')).toMatch(BEIJING_TIME);
    expect(lookup.body).not.toMatch(/\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
    const trading = await logIn('TRADING_PLATFORM');
    const csv = await csvOf((await check(trading, graph.seeded.examples.clean)).body, trading);
    expect(csv[1]!.split(',')[8]).toMatch(BEIJING_TIME);
  });

  it('finding 9: reads a full-width code, says 未登记 alone for a code nobody registered, counts only the 序号 column, names what triggered a measure and folds its basis', async () => {
    const [debtor] = await names([graph.seeded.examples.dishonestDebtor]);
    const wide = debtor!.code.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    const nobody = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: '79900001' });
    const cookie = await logIn('TRADING_PLATFORM');
    const page = await check(cookie, `序号,投标人名称,统一社会信用代码,报价\n1,,${wide},350000\n2,,${nobody},420000`);
    const [, wideRow, nobodyRow] = checkRows(page.body);
    expect(wideRow!.slice(0, 5)).toEqual(['2', '1', debtor!.code, `${debtor!.name} ${debtor!.code}`, '禁止']);
    expect(nobodyRow![4]).toBe('未登记');
    expect(page.body).toContain('已跳过 2 个序号单元格');
    // The measure says it is the court's debtor record, and its legal basis is folded.
    expect(page.body).toMatch(/<details class="measure"><summary>[^<]*（人民法院·[^<]*失信被执行人[^<]*）<\/summary>/);
    const csv = await csvOf(page.body, cookie);
    expect(csv.find((line) => line.includes(nobody))!.split(',')[5]).toBe('未登记');
  });

  it('finding 10: a search page asked with a cursor the graph refuses is answered 400, saying so in Chinese', async () => {
    const response = await get(`/search?q=${encodeURIComponent('建筑')}&after=not-a-cursor`);
    expect(response.status).toBe(400);
    expect(response.body).toContain('分页位置无效，请从第一页重新浏览');
  });

  it('finding 11: an objection links to its decision and its own page, the desk says 撤销 for a revoked record, and a trading platform sees only what it may use', async () => {
    const objection = await openObjection('债务已于上月履行完毕，附法院结案通知书');
    const office = await logIn('CREDIT_OFFICE');
    const dashboard = await get('/console', office);
    expect(dashboard.body).toContain(`<a href="/console/desk?objection=${objection.id}#verify-title">决定</a>`);
    expect((await get(`/console/desk?objection=${objection.id}`, office)).body).toContain(`<input id="verify-id" name="id" required value="${objection.id}">`);
    const lookup = await get(`/console/lookup?objection=${objection.id}`, office);
    expect(text(/<dt>异议理由<\/dt><dd>([^<]*)<\/dd>/.exec(lookup.body)![1]!)).toBe('债务已于上月履行完毕，附法院结案通知书');
    expect(lookup.body).toContain(`/console/desk?objection=${objection.id}#verify-title`);

    const court = await logIn('DEPARTMENT');
    const decided = await post('/console/desk/objection', { id: objection.id, outcome: 'UPHELD_REVOKED', note: '核实属实，撤销该失信记录' }, court);
    expect(decided.body).toContain(`${objection.id}：已办结（异议成立，撤销记录）`);

    const trading = await get('/console', await logIn('TRADING_PLATFORM'));
    expect(trading.body).not.toContain('当前凭证无权查看此项');
    expect(trading.body).toContain('当前凭证可以使用的功能： <a href="/console/check">投标人核查</a>');
  });

  it("finding 12: shows an objection's reason without its direction controls, and offers no second objection on a record under verification", async () => {
    const objection = await openObjection('已履行\u202e完毕\u2066');
    const dashboard = await get('/console', await logIn('CREDIT_OFFICE'));
    expect(dashboard.body).toContain('已履行完毕');
    expect(dashboard.body).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    const subject = await get(`/subject/${objection.code}`);
    expect(subject.body).toContain('异议处理中');
    expect(subject.body).toContain(objection.recordId);
    expect(subject.body).not.toContain('对此记录提出异议');
  });

  it('finding 1b: a HEAD of a report is refused with 405 and issues no report', async () => {
    const code = graph.seeded.examples.clean;
    const db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    try {
      const count = async () => (await db.query('SELECT count(*)::int AS n FROM credit.credit_report WHERE subject_code = $1', [code])).rows[0].n as number;
      const before = await count();
      const head = await fetch(`${web.url}/subject/${code}/report.pdf`, { method: 'HEAD' });
      expect({ status: head.status, allow: head.headers.get('allow') }).toEqual({ status: 405, allow: 'GET' });
      expect(await count()).toBe(before);
      expect((await fetch(`${web.url}/subject/${code}/report.pdf`)).headers.get('content-type')).toBe('application/pdf');
      expect(await count()).toBe(before + 1);
    } finally {
      await db.end();
    }
  });
});
