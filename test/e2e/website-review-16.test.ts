/**
 * The black-box review of issue 16's public website, against a real graph and the web process:
 * what a visitor sees after each action the review found wrong — an unregistered code's page and
 * report, a person's page and report, a printed report's verification (content, one verdict, no
 * JavaScript), a mistyped code, times, repair links, Chinese in record ids, ended list entries,
 * a flood of report downloads, and the console's cookie over HTTPS.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { ROOT_DIR } from '../../lib/config';
import { timeInChina, todayInChina } from '../../lib/clock';
import { buildUscc } from '../../lib/identifiers';
import type { TestGraph } from '../helpers/graph';
import { freePorts } from '../helpers/ports';
import { pdfText } from '../helpers/pdf';
import { openOfflineBrowser, seriousAccessibilityViolations, startGraphWithWebsite, startWebProcess, type OfflineBrowser, type WebProcess } from '../helpers/web';

const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts', 'web');
const BEIJING_TIME = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）/;

describe("issue 16 review findings on the public website", () => {
  let graph: TestGraph;
  let web: WebProcess;
  let limited: WebProcess;
  let browser: OfflineBrowser;
  let page: Page;
  let db: Client;
  const examples = () => graph.seeded.examples;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    ({ graph, web } = await startGraphWithWebsite());
    const [limitedPort] = await freePorts(1);
    limited = await startWebProcess({ gatewayUrl: `${graph.url}/graphql`, port: limitedPort!, logFile: path.join(graph.logDir, 'web-limited.log'), env: { WEB_REPORTS_PER_MINUTE: '2' } });
    db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    browser = await openOfflineBrowser('127.0.0.1');
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await db?.end();
    await web?.stop();
    await limited?.stop();
    await graph?.close();
  });

  const get = async (url: string, base = web.url) => {
    const response = await fetch(`${base}${url}`);
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  };
  const reportsOf = async (code: string) => (await db.query('SELECT count(*)::int AS n FROM credit.credit_report WHERE subject_code = $1', [code])).rows[0].n as number;
  const download = async (code: string) => {
    const response = await get(`/subject/${code}/report.pdf`);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const number = /credit-report-(R\w+)\.pdf/.exec(response.headers.get('content-disposition') ?? '')![1]!;
    return { number, pdf: response.body, text: await pdfText(response.body) };
  };
  async function checkPage(name: string): Promise<void> {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  it('finding 1: says a valid code nobody registered is not registered, offers no report, and refuses one', async () => {
    const shell = buildUscc({ authority: '9', entityType: '1', division: '110000', organisationBody: '00000000' });
    expect((await graph.graphql('query($c: ID!) { subject(code: $c) { registered } }', { c: shell })).body.data.subject.registered).toBe(false);
    await page.goto(`${web.url}/search?q=${shell}`);
    await page.waitForURL(new RegExp(`/subject/${shell}$`));
    expect(await page.locator('.notice.unregistered').textContent()).toContain('未登记：各部门均无该主体的登记信息');
    expect(await page.getByRole('link', { name: '下载公共信用信息报告（PDF）' }).count()).toBe(0);
    expect(await page.locator('section.records').count()).toBe(0); // no empty sections that read as a clean record
    await checkPage('subject-unregistered');
    const refused = await get(`/subject/${shell}/report.pdf`);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.body.toString()).toContain('不出具信用报告：各部门均无该主体的登记信息或信用记录');
    expect(await reportsOf(shell)).toBe(0);
  });

  it("finding 1: names a natural person as one, under 公民身份号码, on the page and in the report", async () => {
    const person = examples().dishonestPerson;
    await page.goto(`${web.url}/subject/${person}`);
    expect(await page.locator('h1').textContent()).toBe('自然人（姓名不予公示）');
    expect(await page.locator('.subject-code').textContent()).toContain(`公民身份号码：${person}`);
    expect(await page.locator('main').textContent()).not.toContain('未登记');
    const report = await download(person);
    expect(report.text).toContain('信用主体：自然人（姓名不予公示）');
    expect(report.text).toContain(`公民身份号码：${person}`);
    expect(report.text).not.toContain('未登记名称');
    expect(report.text).not.toContain('统一社会信用代码');
  });

  it('finding 3 and 10: the verification page shows what the report held at issue, in Beijing time, to compare a printed copy with', async () => {
    const code = examples().dishonestDebtor;
    const report = await download(code);
    const { issuedAt } = (await graph.graphql('query($n: String!) { verifyCreditReport(number: $n) { issuedAt } }', { n: report.number })).body.data.verifyCreditReport;
    expect(report.text).toContain(`出具时间：${timeInChina(issuedAt)}（北京时间）`);
    expect(report.text).not.toContain(issuedAt);
    await page.goto(`${web.url}/verify/${report.number}`);
    expect(await page.locator('dl.facts').textContent()).toContain(`${timeInChina(issuedAt)}（北京时间）`);
    expect(await page.locator('dl.facts').textContent()).not.toContain(issuedAt);
    const lists = page.locator('table.content tr[data-section="lists"]');
    expect(await lists.textContent()).toMatch(/黑名单：失信被执行人/);
    expect(Number(await lists.locator('td.count').textContent())).toBeGreaterThan(0);
    const debtors = page.locator('table.content tr[data-section="debtors"]');
    const caseNumber = /•\s*(（\d{4}）\S+?号)/.exec(report.text.slice(report.text.indexOf('失信被执行人（信息提供单位')))?.[1];
    expect(caseNumber).toBeDefined();
    expect(await debtors.textContent()).toContain(caseNumber);
    // Every section of the PDF is in the table with as many entries as the PDF lists.
    expect(await page.locator('table.content tbody tr').count()).toBeGreaterThanOrEqual(12);
    await checkPage('verify-content');
  });

  it('finding 3: checks a file by a plain form post (no JavaScript), with one verdict either way', async () => {
    const report = await download(examples().seriousViolation);
    const form = (await get(`/verify/${report.number}`)).body.toString();
    expect(form).toMatch(new RegExp(`<form class="file-check[^"]*" method="post" action="/verify/${report.number}/file" enctype="multipart/form-data"`));
    const post = async (file: Buffer) => {
      const body = new FormData();
      body.append('report', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'report.pdf');
      const response = await fetch(`${web.url}/verify/${report.number}/file`, { method: 'POST', body });
      return { status: response.status, text: await response.text() };
    };
    const verdicts = (text: string) => [...text.matchAll(/class="verdict (good|bad)"/g)].map((m) => m[1]);
    const same = await post(report.pdf);
    expect(same.status).toBe(200);
    expect(verdicts(same.text)).toEqual(['good']);
    expect(same.text).toContain('真实且未被篡改');
    const tampered = Buffer.from(report.pdf);
    tampered[tampered.length - 30] = tampered[tampered.length - 30]! ^ 1;
    const altered = await post(tampered);
    expect(altered.status).toBe(200);
    expect(verdicts(altered.text)).toEqual(['bad']); // no green "genuine" above the red line
    expect(altered.text).toContain('不一致：所选文件不是本平台以该编号出具的报告文件');
    expect((await post(Buffer.alloc(0))).status).toBe(400);
  });

  it('finding 7: a mistyped code says its check character is wrong, not that nothing matched', async () => {
    const code = examples().dishonestDebtor;
    const typo = `${code.slice(0, 17)}${code.endsWith('Q') ? 'R' : 'Q'}`;
    await page.goto(`${web.url}/search?q=${typo}`);
    const refusal = await page.locator('.notice.error').textContent();
    expect(refusal).toContain(typo);
    expect(refusal).toContain(code.at(-1)); // the check character expected
    expect(await page.locator('main').textContent()).not.toContain('未找到匹配的主体');
  });

  it('finding 10: a report of conduct is received at a Beijing time, in one format', async () => {
    const response = await fetch(`${web.url}/conduct-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ subjectCode: examples().dishonestDebtor, conduct: '转移财产逃避执行', department: '', contactName: '', contactPhone: '', contactEmail: '', idempotencyKey: crypto.randomUUID() }).toString(),
    });
    const text = await response.text();
    expect(text).toMatch(BEIJING_TIME);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });

  it('finding 11: offers repair on records repair applies to, and not on a dishonest debtor', async () => {
    await page.goto(`${web.url}/subject/${examples().dishonestDebtor}`);
    const debtor = page.locator('section[aria-labelledby="s-debtors"] article').first();
    expect(await debtor.getByRole('link', { name: '对此记录提出异议' }).count()).toBe(1);
    expect(await debtor.getByRole('link', { name: '申请修复此记录' }).count()).toBe(0);
    await page.goto(`${web.url}/subject/${examples().seriousViolation}`);
    const serious = page.locator('section[aria-labelledby="s-serious"] article').first();
    expect(await serious.getByRole('link', { name: '申请修复此记录' }).count()).toBe(1);
  });

  it("finding 12: draws a record id's Chinese with the site's Chinese font, not boxes", async () => {
    await page.goto(`${web.url}/subject/${examples().dishonestDebtor}`);
    await page.evaluate(() => document.fonts.ready);
    const selector = 'section[aria-labelledby="s-debtors"] .record-id code';
    const text = (await page.locator(selector).first().textContent())!;
    const chinese = [...text].filter((c) => /\p{Script=Han}|[（）]/u.test(c)).length;
    expect(chinese).toBeGreaterThan(0);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    // Every Chinese character in the served face (a system face without Chinese would draw .notdef boxes).
    const served = fonts.find((f) => f.isCustomFont && f.familyName === 'Source Han Sans CN');
    expect(served?.glyphCount ?? 0).toBeGreaterThanOrEqual(chinese);
  });

  it("finding 16: an entry ended today leaves the list and the subject's page together, as the graph's listEntries counts it", async () => {
    await page.goto(`${web.url}/subject/${examples().dishonestDebtor}`);
    expect(await page.locator('section[aria-labelledby="s-lists"]').textContent()).toContain('移出日期（当日起不再列入）未确定（持续列入）');
    const entries = await graph.graphql('{ listEntries(kind: BLACK, department: COURTS, first: 100) { nodes { code sourceRecord until } } }');
    const entry = (entries.body.data.listEntries.nodes as { code: string; sourceRecord: string; until: string | null }[])
      .find((e) => !e.code.includes('*') && e.until === null && e.code !== examples().dishonestDebtor)!;
    expect(entry).toBeDefined();
    // Ended today (as its record's removal ends it: the court may not end it while the record stands).
    const today = todayInChina();
    await db.query('UPDATE credit.list_entry SET until = $2 WHERE source_record = $1', [entry.sourceRecord, today]);
    const LISTS = 'query($c: ID!) { subject(code: $c) { lists { sourceRecord until } } }';
    // The public no longer reads it in the graph either; a role with records reads it ended today.
    expect((await graph.graphql(LISTS, { c: entry.code })).body.data.subject.lists).not.toContainEqual(expect.objectContaining({ sourceRecord: entry.sourceRecord }));
    expect((await graph.graphql(LISTS, { c: entry.code }, graph.as('CREDIT_OFFICE', 'review'))).body.data.subject.lists).toContainEqual({ sourceRecord: entry.sourceRecord, until: today });
    const listed = await graph.graphql('{ listEntries(kind: BLACK, department: COURTS, first: 100) { nodes { sourceRecord } } }');
    expect(listed.body.data.listEntries.nodes.map((n: { sourceRecord: string }) => n.sourceRecord)).not.toContain(entry.sourceRecord);
    await page.goto(`${web.url}/subject/${entry.code}`);
    const lists = await page.locator('section[aria-labelledby="s-lists"]').textContent();
    expect(lists).not.toContain(entry.sourceRecord);
    expect(lists).not.toContain('已移出');
  });

  it('finding 17: issues at most WEB_REPORTS_PER_MINUTE reports a minute to one address, and says so with 429', async () => {
    const code = examples().clean;
    const before = await reportsOf(code);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(`/subject/${code}/report.pdf`, limited.url));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429, 429]);
    expect(answers[2]!.body.toString()).toContain('信用报告下载过于频繁：同一地址每分钟最多出具 2 份报告');
    expect(Number(answers[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await reportsOf(code)).toBe(before + 2);
  });

  it("finding 17: marks the console's cookie Secure when the visitor came over HTTPS", async () => {
    const login = (headers: Record<string, string>) => fetch(`${web.url}/console/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ apiKey: graph.credentials.CREDIT_OFFICE.apiKey, purpose: 'review' }).toString(),
    });
    const overHttps = await login({ 'x-forwarded-proto': 'https' });
    expect(overHttps.status).toBe(303);
    expect(overHttps.headers.get('set-cookie')).toMatch(/^cg_console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    const plain = await login({});
    expect(plain.headers.get('set-cookie')).not.toContain('Secure');
  });
});
