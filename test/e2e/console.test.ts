/**
 * The console and the bidder check as a black-box review of the running site used them (issue 16
 * review, findings 2, 4, 5, 8, 9, 13, 15), end to end: every service a real process over seeded
 * PostgreSQL, the web process, headless Chromium. Repair applications listed through the graph
 * for each role and on the dashboard; bidder checks that account for every line, decode a GBK
 * export and download as CSV and XLSX of that check only; refusals in Chinese; phones; the
 * dashboard's period.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT_DIR } from '../../lib/config';
import { todayInChina } from '../../lib/clock';
import { openDatabase } from '../../lib/db';
import { buildUscc } from '../../lib/identifiers';
import { createClient } from '../../subgraphs/credit/clients';
import { addDays } from '../../subgraphs/credit/policy/calendar';
import type { TestGraph } from '../helpers/graph';
import { environmentalPenalty, marketPenalty, type DepartmentDatabases } from '../helpers/department-records';
import { encodeGbk } from '../helpers/gbk';
import { cspViolations, openOfflineBrowser, seriousAccessibilityViolations, startGraphWithWebsite, type OfflineBrowser, type WebProcess } from '../helpers/web';

const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts', 'web');
const APPLY = 'mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id status eligibleFrom } }';
const LIST = 'query($status: RepairStatus, $department: Department, $first: Int, $after: String) { repairApplications(status: $status, department: $department, first: $first, after: $after) { nodes { id department status } endCursor hasNextPage } }';

describe('the console and the bidder check, end to end', () => {
  let graph: TestGraph;
  let web: WebProcess;
  let browser: OfflineBrowser;
  let page: Page;
  let marketKey = '';
  let dbs: DepartmentDatabases & { close(): Promise<void> };
  const today = todayInChina();
  let serial = 0;
  const key = () => `console-e2e-${++serial}-${crypto.randomUUID()}`;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    ({ graph, web } = await startGraphWithWebsite({ proxySecret: true }));
    const credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
    try {
      marketKey = (await createClient(credit, { name: 'market clerk', role: 'DEPARTMENT', department: 'MARKET' })).apiKey;
    } finally {
      await credit.close();
    }
    const [market, courts, environment] = await Promise.all(['market', 'courts', 'environment'].map((schema) => openDatabase({ schema, url: graph.databaseUrl })));
    dbs = { market: market!, courts: courts!, environment: environment!, close: async () => void (await Promise.all([market!.close(), courts!.close(), environment!.close()])) };
    browser = await openOfflineBrowser('127.0.0.1');
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await dbs?.close();
    await graph?.close();
  });

  const OFFICE = () => graph.as('CREDIT_OFFICE', 'credit office');
  const COURTS = () => graph.as('DEPARTMENT', 'court clerk');
  const MARKET = () => ({ 'x-api-key': marketKey, 'x-purpose': 'market clerk' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read by field name
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<{ data?: any; errors?: any }> => (await graph.graphql(query, variables, headers)).body;

  async function checkPage(name: string): Promise<void> {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  }

  async function logIn(apiKey: string): Promise<void> {
    await page.goto(`${web.url}/console/login`);
    await page.getByLabel('访问凭证（API Key）').fill(apiKey);
    await page.getByLabel('查询事由（记入审计日志）').fill('信用办日常监管');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/console$/);
  }

  async function logOut(): Promise<void> {
    await page.goto(`${web.url}/console`);
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/console\/login$/);
  }

  /** A fresh subject with a market or environmental penalty repairable today, and its pending repair application (made by the credit office). */
  let fixtures = 0;
  async function pendingRepair(department: 'MARKET' | 'ENVIRONMENT'): Promise<{ id: string; code: string }> {
    const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(72400000 + ++fixtures) });
    const recordId = department === 'MARKET' ? await marketPenalty(dbs, code, addDays(today, -150)) : await environmentalPenalty(dbs, code, addDays(today, -150));
    const applied = await gql(APPLY, { input: { subjectCode: code, department, recordId, rectification: ['RECTIFICATION'], idempotencyKey: key() } }, OFFICE());
    expect(applied.errors).toBeUndefined();
    return { id: applied.data.applyForRepair.id, code };
  }

  describe('repair applications as a list (finding 2)', () => {
    let market: { id: string; code: string };
    let environment: { id: string; code: string };
    beforeAll(async () => {
      market = await pendingRepair('MARKET');
      environment = await pendingRepair('ENVIRONMENT');
    });

    it('lists them through the gateway: the credit office all, a department its own, another department none of them, PUBLIC nothing', async () => {
      const ids = (body: { data?: { repairApplications: { nodes: { id: string }[] } } }) => body.data!.repairApplications.nodes.map((n) => n.id);
      const all = await gql(LIST, { status: 'PENDING', first: 100 }, OFFICE());
      expect(ids(all)).toEqual(expect.arrayContaining([market.id, environment.id]));
      expect(ids(await gql(LIST, { department: 'MARKET', first: 100 }, OFFICE()))).toContain(market.id);
      expect(ids(await gql(LIST, { department: 'MARKET', first: 100 }, OFFICE()))).not.toContain(environment.id);
      // Paged by cursor, in the order they were made.
      const first = await gql(LIST, { status: 'PENDING', first: 1 }, OFFICE());
      expect(first.data.repairApplications.hasNextPage).toBe(true);
      const second = await gql(LIST, { status: 'PENDING', first: 100, after: first.data.repairApplications.endCursor }, OFFICE());
      expect([...ids(first), ...ids(second)]).toEqual(ids(all));

      const own = await gql(LIST, { first: 100 }, MARKET());
      expect(ids(own)).toContain(market.id);
      expect(own.data.repairApplications.nodes.every((n: { department: string }) => n.department === 'MARKET')).toBe(true);
      const otherDepartment = await gql(LIST, { department: 'ENVIRONMENT', first: 100 }, MARKET());
      expect(otherDepartment.data).toBeNull();
      expect(otherDepartment.errors![0].extensions).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', department: 'MARKET' }));

      const courts = await gql(LIST, { first: 100 }, COURTS());
      expect(ids(courts)).not.toContain(market.id);
      expect(ids(courts)).not.toContain(environment.id);
      expect((await gql(LIST, { department: 'MARKET', first: 100 }, COURTS())).errors![0].extensions).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT' }));

      const anonymous = await gql(LIST, { first: 100 });
      expect(anonymous.data).toBeNull();
      expect(anonymous.errors![0].extensions.code).toBe('FORBIDDEN');
      expect((await gql(LIST, { first: 0 }, OFFICE())).errors![0].extensions.code).toBe('BAD_USER_INPUT');
    });

    it("shows a department's clerk its pending applications on the dashboard with the date each may be repaired from, and decides one from there", async () => {
      await logIn(marketKey);
      const row = page.locator(`table.repairs tr[data-repair="${market.id}"]`);
      const eligibleFrom = (await gql('query($id: ID!) { repairApplication(id: $id) { eligibleFrom } }', { id: market.id }, OFFICE())).data.repairApplication.eligibleFrom;
      expect(await row.textContent()).toContain(eligibleFrom);
      expect(await row.textContent()).toContain('行政处罚');
      expect(await page.locator(`table.repairs tr[data-repair="${environment.id}"]`).count()).toBe(0);
      await checkPage('console-repairs');
      await row.getByRole('link', { name: '决定' }).click();
      await page.waitForURL(/\/console\/desk\?repair=/);
      const form = page.locator('form[action="/console/desk/repair"]');
      expect(await form.getByLabel('修复申请编号').inputValue()).toBe(market.id);
      await form.getByLabel('结论').selectOption('true');
      await form.getByLabel('决定说明').fill('整改到位，准予修复');
      await form.getByRole('button', { name: '提交决定' }).click();
      // The decision in words, not the graph's APPROVED (finding 9).
      expect(await page.locator('.notice.info').textContent()).toBe(`${market.id}：已办结（修复完成）。`);
      await page.goto(`${web.url}/console`);
      expect(await page.locator(`table.repairs tr[data-repair="${market.id}"]`).count()).toBe(0);
      await logOut();

      // The credit office sees every department's: the environmental one is still waiting.
      await logIn(graph.credentials.CREDIT_OFFICE.apiKey);
      expect(await page.locator(`table.repairs tr[data-repair="${environment.id}"]`).textContent()).toContain('生态环境部门');
      // Its page in words: 状态 and 记录类别 by their names (finding 9).
      await page.goto(`${web.url}/console/lookup?repair=${environment.id}`);
      const facts = (await page.locator('dl.facts').textContent())!;
      expect(facts).toContain('审核中');
      expect(facts).toContain('行政处罚');
      expect(facts).not.toMatch(/PENDING|ADMINISTRATIVE_PENALTY|ENVIRONMENT\b/);
      expect(await page.getByRole('link', { name: '信用修复决定' }).getAttribute('href')).toBe(`/console/desk?repair=${environment.id}#repair-title`);
    });
  });

  describe('the bidder check (findings 4, 5, 9)', () => {
    beforeAll(async () => {
      await page.goto(`${web.url}/console`);
      if (page.url().endsWith('/console/login')) await logIn(graph.credentials.CREDIT_OFFICE.apiKey);
    });

    let debtor = { code: '', name: '' };
    let clean = { code: '', name: '' };
    beforeAll(async () => {
      const names = await gql('query($c: [ID!]!) { subjects(codes: $c) { code name } }', { c: [graph.seeded.examples.dishonestDebtor, graph.seeded.examples.clean] });
      [debtor, clean] = names.data.subjects;
    });

    const rows = () => page.locator('table.check tbody tr');
    const cellsOf = async (row: number) => page.locator('table.check tbody tr').nth(row).locator('td').allTextContents();

    async function runCheck(text?: string): Promise<string> {
      if (text !== undefined) await page.getByLabel('投标人统一社会信用代码或名称（每行一个，或逗号分隔）').fill(text);
      await page.getByRole('button', { name: '核查', exact: true }).click();
      await page.locator('table.check').waitFor();
      return (await page.locator('table.check').getAttribute('data-check'))!;
    }

    async function download(name: string): Promise<{ url: string; bytes: Buffer }> {
      const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
      return { url: file.url(), bytes: fs.readFileSync((await file.path())!) };
    }

    const csvLines = (bytes: Buffer) => bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n');

    it('reads a GBK export with a header and a 序号 column, replacing what the box held, and answers every line', async () => {
      await page.goto(`${web.url}/console/check`);
      const box = page.getByLabel('投标人统一社会信用代码或名称（每行一个，或逗号分隔）');
      await box.fill('这段文字应被替换');
      // As Excel on Chinese Windows saves it: GBK, CRLF, a header row, a sequence-number column.
      const csv = `序号,投标人名称,统一社会信用代码\r\n1,${debtor.name},${debtor.code}\r\n2,${clean.name},\r\n3,${debtor.name},${debtor.code}\r\n4,,\r\n`;
      const file = path.join(ARTIFACTS, 'bidders-gbk.csv');
      fs.writeFileSync(file, encodeGbk(csv));
      await page.setInputFiles('#csv', file);
      await page.waitForFunction((name) => (document.getElementById('codes') as HTMLTextAreaElement).value.includes(name), debtor.name);
      expect(await box.inputValue()).toBe(csv.trim().replace(/\r\n/g, '\n'));
      // A second file replaces the first, it does not append (found by a black-box review).
      const second = path.join(ARTIFACTS, 'bidders-utf8.csv');
      fs.writeFileSync(second, `\uFEFF${csv}`);
      await page.setInputFiles('#csv', second);
      await page.waitForFunction(() => !(document.getElementById('codes') as HTMLTextAreaElement).value.includes('这段文字'));
      expect(await box.inputValue()).toBe(csv.trim().replace(/\r\n/g, '\n'));

      await runCheck();
      expect(await rows().count()).toBe(5); // every line: the header, three bidders, a row with a number only
      // The file's 序号 beside the line number (found by a black-box review: line 2 was 序号 1, with nothing saying so).
      expect(await cellsOf(0)).toEqual(['1', '', '序号,投标人名称,统一社会信用代码', '', '未核查', '', '表头行，已跳过']);
      const first = await cellsOf(1);
      expect(first.slice(0, 5)).toEqual(['2', '1', debtor.code, `${debtor.name}${debtor.code}`, '禁止']);
      expect((await cellsOf(2)).slice(0, 5)).toEqual(['3', '2', clean.name, `${clean.name}${clean.code}`, '无限制']);
      expect((await cellsOf(3))[6]).toBe('与第 2 行相同');
      expect((await cellsOf(3))[4]).toBe('禁止');
      expect((await cellsOf(4))[6]).toBe('只有序号，没有代码或名称');
      expect(await page.locator('.notice.info').textContent()).toContain('已跳过 4 个序号单元格');
      await checkPage('bidder-check-gbk');
    });

    it("reads Excel's Unicode-text export, UTF-16 with a byte-order mark (found by a black-box review: decoded as GB18030)", async () => {
      await page.goto(`${web.url}/console/check`);
      const text = `序号\t投标人名称\t统一社会信用代码\r\n1\t${debtor.name}\t${debtor.code}\r\n`;
      for (const [name, bytes] of [['le', Buffer.from(`\uFEFF${text}`, 'utf16le')], ['be', Buffer.from(`\uFEFF${text}`, 'utf16le').swap16()]] as const) {
        const file = path.join(ARTIFACTS, `bidders-utf16${name}.txt`);
        fs.writeFileSync(file, bytes);
        await page.setInputFiles('#csv', file);
        await page.waitForFunction((want) => (document.getElementById('codes') as HTMLTextAreaElement).value === want, text.trim().replace(/\r\n/g, '\n'));
      }
    });

    it('accounts for every pasted line: duplicates say which line they repeat, invalid codes and unknown names say why, in Chinese', async () => {
      await page.goto(`${web.url}/console/check`);
      const lines = [debtor.code, clean.code, debtor.code, debtor.name, `${clean.code},${clean.name}`, '91350100M000100Y4X', '不存在的建筑有限公司', clean.code.toLowerCase(), `${debtor.code} ${clean.code}`];
      await runCheck(lines.join('\n'));
      // Nine lines, one of them with two codes: ten rows, in order, none merged.
      expect(await rows().count()).toBe(10);
      const notes = await page.locator('table.check tbody tr td:last-child').allTextContents();
      const lineNumbers = await page.locator('table.check tbody tr td:first-child').allTextContents();
      expect(lineNumbers).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '9']);
      expect(notes[2]).toBe('与第 1 行相同');
      expect(notes[3]).toBe('与第 1 行相同'); // the debtor by name: the same subject as line 1
      expect(notes[4]).toBe('与第 2 行相同');
      expect(notes[5]).toBe('统一社会信用代码“91350100M000100Y4X”的校验位错误：第 18 位为“X”，应为“3”，请核对代码');
      expect(notes[6]).toBe('没有登记名称完全相同的主体，请改用代码');
      expect(notes[7]).toBe('与第 2 行相同');
      expect(notes.slice(8)).toEqual(['与第 1 行相同', '与第 2 行相同']);
      expect(await page.locator('main').textContent()).not.toMatch(/[a-z]{4,} [a-z]{3,}/); // no English sentence in the Chinese console
      expect(await page.locator('.notice.info').textContent()).toContain('共 10 行，核查了 2 个主体，2 行未核查');
    });

    it('downloads CSV and XLSX of the check shown, by its id, and of no other check or session', async () => {
      await page.goto(`${web.url}/console/check`);
      const firstId = await runCheck(`${debtor.code}\n${clean.code}`);
      const csv = await download('下载 CSV');
      expect(csv.url).toBe(`${web.url}/console/check/${firstId}.csv`);
      const lines = csvLines(csv.bytes);
      expect(lines[0]).toBe('行号,序号,填报内容,统一社会信用代码,名称,核查结论,适用措施,未响应部门,核查时间,核查编号,说明');
      expect(lines).toHaveLength(3); // the header and a row per line (a cell's own line breaks are LF, rows end CRLF)
      expect(csv.bytes.toString('utf8')).toContain(`1,,${debtor.code},${debtor.code},${debtor.name},禁止,`);

      const xlsx = await download('下载 Excel（XLSX）');
      expect(xlsx.url).toBe(`${web.url}/console/check/${firstId}.xlsx`);
      expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
      const { default: readXlsx } = await import('read-excel-file/node');
      const [sheet] = await readXlsx(xlsx.bytes);
      expect(sheet!.sheet).toBe('投标人信用核查');
      const data = sheet!.data.map((row) => row.map((cell) => (cell === null ? '' : String(cell))));
      expect(data[0]).toEqual(lines[0]!.split(','));
      expect(data.map((row) => row.slice(0, 6))).toEqual([
        data[0]!.slice(0, 6), ['1', '', debtor.code, debtor.code, debtor.name, '禁止'], ['2', '', clean.code, clean.code, clean.name, '无限制'],
      ]);

      // A second check (another tender, or every line invalid): its own id and file; the first one's stays as it was.
      await page.goto(`${web.url}/console/check`);
      const secondId = await runCheck('91350100M000100Y4X\n不存在的建筑有限公司');
      expect(secondId).not.toBe(firstId);
      expect(await page.locator('.notice.error').textContent()).toContain('没有可以核查的投标人');
      expect(await page.locator('main').textContent()).not.toContain('请至少输入一个代码');
      const secondCsv = csvLines((await download('下载 CSV')).bytes);
      expect(secondCsv).toHaveLength(3);
      expect(secondCsv[1]).toContain('91350100M000100Y4X');
      expect(secondCsv.join('\n')).not.toContain(debtor.code);
      const again = await page.request.get(`${web.url}/console/check/${firstId}.csv`);
      expect(await again.body()).toEqual(csv.bytes);

      // Unknown ids, and this session's ids asked by another session, are no page.
      expect((await page.request.get(`${web.url}/console/check/${firstId.slice(0, -1)}x.csv`)).status()).toBe(404);
      expect((await page.request.get(`${web.url}/console/check/${firstId}.pdf`)).status()).toBe(404);
      const login = await fetch(`${web.url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ apiKey: graph.credentials.TRADING_PLATFORM.apiKey, purpose: '招标 2026-018' }).toString(),
        redirect: 'manual',
      });
      const otherSession = login.headers.get('set-cookie')!.split(';')[0]!;
      for (const format of ['csv', 'xlsx']) {
        const stolen = await fetch(`${web.url}/console/check/${firstId}.${format}`, { headers: { cookie: otherSession }, redirect: 'manual' });
        expect({ format, status: stolen.status }).toEqual({ format, status: 404 });
        expect(await stolen.text()).toContain('页面不存在');
      }
    });
  });

  describe('login, refusals, phones and the dashboard period (findings 8, 9, 13, 15)', () => {
    const login = (purpose: string) =>
      fetch(`${web.url}/console/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ apiKey: graph.credentials.CREDIT_OFFICE.apiKey, purpose }).toString(),
        redirect: 'manual',
      });

    it('refuses a purpose the audit log cannot hold with 400 and why, not "cannot check the credential"', async () => {
      for (const purpose of ['事由'.repeat(251), '招标\t2026', '招标\u202e2026']) {
        const response = await login(purpose);
        const body = await response.text();
        expect({ status: response.status, cookie: response.headers.get('set-cookie') }).toEqual({ status: 400, cookie: null });
        expect(body).toContain('查询事由不符合要求');
        expect(body).not.toContain('暂时无法核验凭证');
      }
      await page.goto(`${web.url}/console/login`);
      expect(await page.getByLabel('查询事由（记入审计日志）').getAttribute('maxlength')).toBe('500');
      expect((await login('招标 2026-019')).status).toBe(303);
    });

    it('says a refused write is one the key may not make, in Chinese', async () => {
      // The market clerk ends a court's list entry (found by a black-box review: "may not view").
      await page.goto(`${web.url}/console`);
      if (!page.url().endsWith('/console')) await logIn(graph.credentials.CREDIT_OFFICE.apiKey);
      await logOut();
      await logIn(marketKey);
      const entry = (await gql('query($c: ID!) { subject(code: $c) { lists { kind department sourceRecord until } } }', { c: graph.seeded.examples.dishonestDebtor })).data.subject.lists.find(
        (e: { department: string; until: string | null }) => e.department === 'COURTS' && e.until === null,
      );
      await page.goto(`${web.url}/console/lists`);
      const end = page.locator('form[action="/console/lists/end"]');
      await end.getByLabel('名单类别').selectOption(entry.kind);
      await end.getByLabel('认定部门').selectOption('COURTS');
      await end.getByLabel('依据记录编号').fill(entry.sourceRecord);
      await end.getByLabel('移出日期').fill(addDays(today, 1));
      await end.getByRole('button', { name: '结束' }).click();
      const refusal = (await page.locator('.notice.error').textContent())!;
      expect(refusal).toContain('无权执行此操作');
      expect(refusal).not.toContain('无权查看');
      expect(refusal).not.toMatch(/[a-z]{4,}/);
      // The catalogue's kinds and channels by their names.
      await page.goto(`${web.url}/console/catalogue`);
      const catalogue = [
        ...(await page.locator('table.results tbody td:nth-child(2)').allTextContents()),
        ...(await page.locator('table.results tbody td:nth-child(4)').allTextContents()),
      ].join(' ');
      expect(catalogue).not.toMatch(/[A-Z]{3,}/);
      expect(catalogue).toContain('惩戒措施');
      expect(catalogue).toContain('行政性措施');
      expect((await page.goto(`${web.url}/console/catalogue?version=abc`))!.status()).toBe(400);
    });

    it('keeps every page within a phone\'s screen, tables scrolling inside themselves', async () => {
      await page.setViewportSize({ width: 375, height: 812 });
      try {
        for (const url of ['/lists', '/publicity', '/console', '/console/check', '/console/catalogue', '/console/desk', '/console/lists']) {
          await page.goto(`${web.url}${url}`);
          await page.evaluate(() => document.fonts.ready);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          expect({ url, overflow }).toEqual({ url, overflow: 0 });
          expect(await seriousAccessibilityViolations(page)).toEqual([]);
        }
        // Still a table to a screen reader.
        await page.goto(`${web.url}/lists`);
        expect(await page.getByRole('table').count()).toBe(1);
        expect(await page.getByRole('columnheader').count()).toBe(5);
        await checkPage('lists-phone');
      } finally {
        await page.setViewportSize({ width: 1280, height: 900 });
      }
    });

    it('charts the period the clerk chooses: a late publication nine months ago shows in its month (found by a black-box review: six fixed months of zeros)', async () => {
      const month = addDays(today, -270).slice(0, 7);
      const decidedOn = `${month}-03`;
      const code = buildUscc({ authority: '9', entityType: '1', division: '440305', organisationBody: String(72500000 + ++fixtures) });
      // Decided on the 3rd, published forty days later: long after 7 working days.
      await marketPenalty(dbs, code, addDays(decidedOn, 40), { decided_on: decidedOn });
      await logOut();
      await logIn(graph.credentials.CREDIT_OFFICE.apiKey);
      expect(await page.locator('#chart-late table.numbers tbody tr').count()).toBe(6);
      expect(await page.locator('#chart-late table.numbers tbody th').allTextContents()).not.toContain(month);
      await page.getByLabel('起始月份').fill(month);
      await page.getByLabel('截止月份').fill(month);
      await page.getByRole('button', { name: '查看' }).click();
      await page.waitForURL(/from=/);
      expect(await page.locator('#statistics').textContent()).toBe(`统计（${month} 至 ${month}）`);
      const row = page.locator('#chart-late table.numbers tbody tr');
      expect(await row.count()).toBe(1);
      expect(await row.locator('th').textContent()).toBe(month);
      expect(Number(await row.locator('td').first().textContent())).toBeGreaterThanOrEqual(1);
      await checkPage('console-period');
      // A period it cannot chart says why, with 400.
      const wrong = await page.goto(`${web.url}/console?from=${month}&to=2020-01`);
      expect(wrong!.status()).toBe(400);
      expect(await page.locator('.notice.error').textContent()).toContain('晚于截止');
    });
  });

  it('sent no request anywhere but this host, and raised no page error', () => {
    expect(browser.offHostRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
