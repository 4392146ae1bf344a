/**
 * The credit website and the console end to end, in headless Chromium, against a real graph
 * (every subgraph and the gateway as processes, seeded PostgreSQL) and the web process:
 * a citizen searches by part of a name, reads the subject page, downloads and verifies the
 * credit report; a clerk logs in, sees an overdue objection and the charts, and checks bidders.
 * No request leaves the host; every page passes axe-core with no serious violation; screenshots
 * go to test-artifacts/web/.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { ROOT_DIR } from '../../lib/config';
import { eventually } from '../helpers/eventually';
import type { TestGraph } from '../helpers/graph';
import { pdfText } from '../helpers/pdf';
import { cspViolations, openOfflineBrowser, seriousAccessibilityViolations, startGraphWithWebsite, type OfflineBrowser, type WebProcess } from '../helpers/web';

const ARTIFACTS = path.join(ROOT_DIR, 'test-artifacts', 'web');

describe('the credit website in a browser', () => {
  let graph: TestGraph;
  let web: WebProcess;
  let browser: OfflineBrowser;
  let page: Page;
  let debtor: { code: string; name: string; court: string };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    ({ graph, web } = await startGraphWithWebsite({ proxySecret: true }));
    const code = graph.seeded.examples.dishonestDebtor;
    const answer = await graph.graphql(`query($code: ID!) { subject(code: $code) { name courts { dishonestDebtors { court } } } }`, { code });
    debtor = { code, name: answer.body.data.subject.name, court: answer.body.data.subject.courts.dishonestDebtors[0].court };
    browser = await openOfflineBrowser('127.0.0.1');
    page = browser.page;
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await graph?.close();
  });

  /** Each page a user reaches: saved as a screenshot and checked for accessibility. */
  async function checkPage(name: string): Promise<void> {
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
  }

  it('finds the subject by part of its Chinese name and shows its black-list entry with the authority', async () => {
    await page.goto(`${web.url}/`);
    await checkPage('home');
    // The keyboard reaches the skip link first, and it leads to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main');
    const partial = [...debtor.name].slice(2, 6).join(''); // e.g. 方泰科技 of 重庆方泰科技有限公司
    await page.getByLabel('企业名称或统一社会信用代码').fill(partial);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/\/search\?/);
    await checkPage('search');
    await page.getByRole('link', { name: debtor.name }).click();
    await page.waitForURL(new RegExp(`/subject/${debtor.code}$`));
    expect(await page.locator('h1').textContent()).toBe(debtor.name);
    const lists = page.locator('section[aria-labelledby="s-lists"]');
    expect(await lists.textContent()).toMatch(/黑名单：失信被执行人/);
    expect(await lists.textContent()).toContain('人民法院');
    const debtors = await page.locator('section[aria-labelledby="s-debtors"]').textContent();
    expect(debtors).toContain(debtor.court);
    expect(await page.locator('section[aria-labelledby="s-registration"]').textContent()).toMatch(/\*/); // the legal representative, masked
    await checkPage('subject');
    // On a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await checkPage('subject-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  let reportNumber = '';
  let reportFile = '';

  it('downloads the credit report, whose text has the name and the report number, and verifies it', async () => {
    await page.goto(`${web.url}/subject/${debtor.code}`);
    // The first report of a fresh credit process also loads the font: allow for a loaded machine.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('link', { name: '下载公共信用信息报告（PDF）' }).click()]);
    reportNumber = /^credit-report-(R\d{8}[0-9A-Z]{12})\.pdf$/.exec(download.suggestedFilename())![1]!;
    reportFile = path.join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(reportFile);
    const text = await pdfText(fs.readFileSync(reportFile));
    expect(text).toContain(debtor.name);
    expect(text).toContain(reportNumber);
    expect(text).toContain(debtor.court);
    expect(text).toContain(`${web.url}/verify/${reportNumber}`);
    // The report was asked for like any query, and the audit log says so.
    // (The gateway journals the entry before answering and delivers it to the credit office in batches: wait for it.)
    await eventually(async () => {
      const log = await graph.graphql(
        `query($code: ID!) { subject(code: $code) { accessLog(first: 20) { nodes { role operationName outcome } } } }`,
        { code: debtor.code },
        graph.as('CREDIT_OFFICE', 'audit review'),
      );
      return (log.body.data.subject.accessLog.nodes as { role: string; operationName: string; outcome: string }[]).some((n) => n.role === 'PUBLIC' && n.operationName === 'CreditReport' && n.outcome === 'OK');
    }, 'the report in the access log', 120_000);
    // Each read issues a report of its own: nothing caches or reuses one.
    const again = await graph.graphql(`query($code: ID!) { subject(code: $code) { creditReport { number } } }`, { code: debtor.code });
    expect(again.body.data.subject.creditReport.number).not.toBe(reportNumber);
    // The same request again (any visitor's next download) is a new report too, never one from the response cache.
    const third = await graph.graphql(`query($code: ID!) { subject(code: $code) { creditReport { number } } }`, { code: debtor.code });
    expect(third.body.data.subject.creditReport.number).not.toBe(again.body.data.subject.creditReport.number);

    await page.goto(`${web.url}/verify/${reportNumber}`);
    expect(await page.locator('.verdict').getAttribute('data-genuine')).toBe('true');
    expect(await page.locator('.verdict').textContent()).toContain('真实');
    expect(await page.locator('code.digest').textContent()).toBe(crypto.createHash('sha256').update(fs.readFileSync(reportFile)).digest('hex'));
    await page.setInputFiles('#report-file', reportFile);
    await page.getByRole('button', { name: '核对文件' }).click();
    await page.waitForURL(new RegExp(`/verify/${reportNumber}/file$`));
    expect(await page.locator('.verdict').getAttribute('data-unaltered')).toBe('true');
    expect(await page.locator('.verdict').textContent()).toContain('未被篡改');
    await checkPage('verify-genuine');

    const altered = `${reportNumber.slice(0, -1)}${reportNumber.endsWith('0') ? '1' : '0'}`;
    await page.goto(`${web.url}/verify`);
    await page.getByLabel('报告编号').fill(altered);
    await page.getByRole('button', { name: '查验' }).click();
    await page.waitForURL(new RegExp(`/verify/${altered}$`));
    expect(await page.locator('.verdict').getAttribute('data-genuine')).toBe('false');
    expect(await page.locator('.verdict').textContent()).toContain('不真实');
    await checkPage('verify-altered');
  }, 150_000); // the first report loads its font and the PDF renders on a loaded machine in CI too

  it('says an altered report file is not the issued one', async () => {
    const tampered = fs.readFileSync(reportFile);
    tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 1;
    const tamperedFile = path.join(ARTIFACTS, 'tampered.pdf');
    fs.writeFileSync(tamperedFile, tampered);
    await page.goto(`${web.url}/verify/${reportNumber}`);
    await page.setInputFiles('#report-file', tamperedFile);
    await page.getByRole('button', { name: '核对文件' }).click();
    await page.waitForURL(new RegExp(`/verify/${reportNumber}/file$`));
    // One verdict: the file is not the issued one, and nothing on the page says "genuine" in green above it.
    expect(await page.locator('.verdict').count()).toBe(1);
    expect(await page.locator('.verdict').getAttribute('class')).toContain('bad');
    expect(await page.locator('.verdict').textContent()).toContain('已被篡改');
  });

  it('filters the black list by department and pages it', async () => {
    await page.goto(`${web.url}/lists`);
    await page.getByLabel('名单类别').selectOption('BLACK');
    await page.getByLabel('认定部门').selectOption('COURTS');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/department=COURTS/);
    const rows = page.locator('table.results tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allTextContents()) expect(text).toContain('人民法院');
    await checkPage('lists');
    // A natural person on the list appears masked, on whichever page, and never by full identity number.
    const person = graph.seeded.examples.dishonestPerson;
    let seenMasked = false;
    for (;;) {
      expect(await page.content()).not.toContain(person);
      seenMasked ||= (await page.locator('table.results').textContent())!.includes(`${person.slice(0, 6)}********${person.slice(14)}`);
      const next = page.getByRole('link', { name: '下一页' });
      if ((await next.count()) === 0) break;
      await next.click();
    }
    expect(seenMasked).toBe(true);
  });

  it('shows double publicity with whether each decision was published on time', async () => {
    await page.goto(`${web.url}/publicity?kind=PENALTY`);
    expect(await page.locator('table.results tbody tr').count()).toBeGreaterThan(0);
    await checkPage('publicity');
    await page.getByLabel('认定部门').selectOption('ENVIRONMENT');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/department=ENVIRONMENT/);
    expect(await page.locator('table.results caption').textContent()).toBe('行政处罚');
    expect(await page.locator('table.results tbody tr').count()).toBeGreaterThan(0);
  });

  let ownObjection = { id: '', code: '', recordId: '' };

  it('lets a subject file its own objection with the code the credit office issued, marks the record disputed, and follows it', async () => {
    const code = graph.seeded.examples.seriousViolation;
    const office = graph.as('CREDIT_OFFICE', 'service hall');
    const issued = await graph.graphql('mutation($i: IssueFilingCodeInput!) { issueFilingCode(input: $i) { code } }', { i: { subjectCode: code, purpose: 'OBJECTION', contact: '0755-1234' } }, office);
    expect(issued.body.errors).toBeUndefined();
    const filingCode: string = issued.body.data.issueFilingCode.code;

    // From the record on the subject page to the form, with the record filled in.
    await page.goto(`${web.url}/subject/${code}`);
    const record = page.locator('section[aria-labelledby="s-serious"] article').first();
    expect(await record.getAttribute('class')).not.toContain('disputed');
    const recordId = (await record.locator('.record-id code').textContent())!;
    await record.getByRole('link', { name: '对此记录提出异议' }).click();
    await page.waitForURL(/\/self-service\?/);
    const form = page.locator('form[action="/self-service/objection"]');
    expect(await form.getByLabel('记录编号').inputValue()).toBe(recordId);
    expect(await form.getByLabel('统一社会信用代码').inputValue()).toBe(code);
    expect(await form.getByLabel('认定部门').inputValue()).toBe('MARKET');
    await checkPage('self-service');

    // A wrong code is refused, says so, and keeps what was typed.
    await form.getByLabel('申请码').fill('AAAA-BBBB-CCCC');
    await form.getByLabel('异议理由').fill('该违法行为已于上月整改完毕，相关处罚已履行');
    await form.getByRole('button', { name: '提交异议' }).click();
    await page.locator('.notice.error').waitFor();
    expect(await page.locator('.notice.error').textContent()).toContain('未受理');
    const again = page.locator('form[action="/self-service/objection"]');
    expect(await again.getByLabel('异议理由').inputValue()).toBe('该违法行为已于上月整改完毕，相关处罚已履行');

    const idempotencyKey = await again.locator('input[name="idempotencyKey"]').inputValue();
    await again.getByLabel('申请码').fill(filingCode);
    await again.getByRole('button', { name: '提交异议' }).click();
    await page.locator('dl[data-filing]').waitFor();
    const filingId = (await page.locator('dl[data-filing]').getAttribute('data-filing'))!;
    ownObjection = { id: filingId, code, recordId };
    expect(await page.locator('.notice.info').textContent()).toContain(filingId);
    expect(await page.locator('dd.status').getAttribute('data-status')).toBe('OPEN');
    await checkPage('filing');

    // The same form sent again (a double click, a reload) answers the same filing, not a second one.
    const resend = async (idempotencyKey: string) => {
      const response = await fetch(`${web.url}/self-service/objection`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ filingCode, subjectCode: code, department: 'MARKET', recordId, reason: '该违法行为已于上月整改完毕，相关处罚已履行', idempotencyKey }).toString(),
      });
      return { status: response.status, text: await response.text() };
    };
    const same = await resend(idempotencyKey);
    expect(same.status).toBe(200);
    expect(same.text).toContain(`data-filing="${filingId}"`);
    const other = await resend('another-key');
    expect(other.status).not.toBe(200); // the code was spent by the first filing
    expect(other.text).toContain('未受理');

    // The public subject page now marks the record as disputed, with the verification dates.
    await page.goto(`${web.url}/subject/${code}`);
    const disputed = page.locator('section[aria-labelledby="s-serious"] article', { hasText: recordId });
    expect(await disputed.getAttribute('class')).toContain('disputed');
    expect(await disputed.textContent()).toContain('异议处理中');
    expect(await disputed.textContent()).toContain('异议核查期间');

    // Followed by its id and code; a wrong code finds nothing.
    await page.goto(`${web.url}/self-service`);
    const follow = page.locator('form[action="/self-service/follow"]');
    await follow.getByLabel('申请编号').fill(filingId);
    await follow.getByLabel('申请码').fill('AAAA-BBBB-CCCC');
    await follow.getByRole('button', { name: '查询' }).click();
    await page.locator('.notice.error').waitFor();
    expect(await page.locator('.notice.error').textContent()).toContain('未找到');
    const retry = page.locator('form[action="/self-service/follow"]');
    await retry.getByLabel('申请码').fill(filingCode);
    await retry.getByRole('button', { name: '查询' }).click();
    await page.locator('dl[data-filing]').waitFor();
    expect(await page.locator('dd.status').getAttribute('data-status')).toBe('OPEN');
    expect(await page.locator('dl[data-filing]').textContent()).toContain(recordId);
  });

  it('shows a repair notice on the subject page once a repair is approved, and the record no longer', async () => {
    const office = graph.as('CREDIT_OFFICE', 'repair desk');
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const fourMonthsAgo = new Date(Date.now() - 122 * 86_400_000).toISOString().slice(0, 10);
    const db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    const codes = (await db.query('SELECT DISTINCT subject_code FROM market.administrative_penalty LIMIT 400')).rows.map((r) => r.subject_code as string);
    await db.end();
    const profiles = await graph.graphql('query($codes: [ID!]!) { subjects(codes: $codes) { code market { penalties { recordId area publishedOn publicationEndsOn } } } }', { codes }, office);
    const penalty = profiles.body.data.subjects
      .filter((s: any) => s.code !== debtor.code)
      .flatMap((s: any) => s.market.penalties.map((p: any) => ({ code: s.code, ...p })))
      .find((p: any) => !['SPECIAL_EQUIPMENT', 'WORK_SAFETY', 'FIRE_SAFETY'].includes(p.area) && p.publishedOn && p.publishedOn < fourMonthsAgo && p.publicationEndsOn > today);
    expect(penalty).toBeDefined();
    const applied = await graph.graphql('mutation($input: ApplyForRepairInput!) { applyForRepair(input: $input) { id } }',
      { input: { subjectCode: penalty.code, department: 'MARKET', recordId: penalty.recordId, rectification: ['COMMITMENT', 'TRAINING'], idempotencyKey: `web-${crypto.randomUUID()}` } }, office);
    expect(applied.body.errors).toBeUndefined();
    const decided = await graph.graphql('mutation($id: ID!) { decideRepair(id: $id, approve: true, note: "整改到位") { status } }', { id: applied.body.data.applyForRepair.id }, office);
    expect(decided.body.data?.decideRepair.status).toBe('APPROVED');

    await page.goto(`${web.url}/subject/${penalty.code}`);
    const notices = page.locator('section[aria-labelledby="s-repairNotices"]');
    expect(await notices.textContent()).toContain(penalty.recordId);
    expect(await notices.textContent()).toContain('作出信用承诺、参加信用修复培训');
    expect(await notices.textContent()).toContain(today);
    expect(await page.locator('section[aria-labelledby="s-penalties"]').textContent()).not.toContain(penalty.recordId);
    await checkPage('repair-notice');
  });

  it('publishes no ended black-list entry, as the court no longer publishes the removed record it stood on', async () => {
    await page.goto(`${web.url}/subject/${graph.seeded.examples.formerlyListed}`);
    const lists = page.locator('section[aria-labelledby="s-lists"]');
    expect(await lists.locator('article').count()).toBe(0);
    expect(await lists.textContent()).toContain('无记录');
    expect(await page.locator('main').textContent()).not.toContain('（已移出）');
    expect(await page.locator('section[aria-labelledby="s-debtors"]').textContent()).toContain('无记录');
  });

  it('takes a report of dishonest conduct from anyone, and its reporter follows it to the result by the receipt code alone, never seeing who reported', async () => {
    await page.goto(`${web.url}/`);
    await page.getByRole('navigation').getByRole('link', { name: '失信举报' }).click();
    await page.waitForURL(/\/conduct-reports$/);
    await page.getByLabel('被举报主体的统一社会信用代码').fill(debtor.code.toLowerCase());
    await page.getByLabel('失信行为（时间、地点、经过）').fill('2026年11月在本市转移财产逃避执行');
    await page.getByLabel('姓名').fill('举报人甲');
    await page.getByLabel('电话').fill('13800138000');
    const idempotencyKey = await page.locator('input[name="idempotencyKey"]').inputValue();
    await page.getByRole('button', { name: '提交举报' }).click();
    const receiptCode = (await page.locator('code.receipt').textContent())!;
    expect(receiptCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await checkPage('conduct-report-receipt');
    // The same form sent again (a retry after a lost answer) is the same report, with the same receipt.
    const again = await page.request.post(`${web.url}/conduct-reports`, {
      form: { subjectCode: debtor.code, conduct: '2026年11月在本市转移财产逃避执行', department: '', contactName: '举报人甲', contactPhone: '13800138000', contactEmail: '', idempotencyKey },
    });
    expect(await again.text()).toContain(receiptCode);

    // The credit office sees the report with its contact, routes it to the courts, which close it.
    const office = graph.as('CREDIT_OFFICE', 'reports from the public');
    const reports = await graph.graphql('{ publicReports(status: RECEIVED, first: 100) { nodes { id subjectCode conduct contact { phone } } } }', {}, office);
    const mine = (reports.body.data.publicReports.nodes as { id: string; subjectCode: string; conduct: string; contact: { phone: string } | null }[]).filter((r) => r.conduct === '2026年11月在本市转移财产逃避执行');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ subjectCode: debtor.code, contact: { phone: '13800138000' } });
    expect((await graph.graphql('mutation($id: ID!) { routeReport(id: $id, department: COURTS) { status } }', { id: mine[0]!.id }, office)).body.data.routeReport.status).toBe('ROUTED');
    const closed = await graph.graphql('mutation($id: ID!) { closeReport(id: $id, result: SUBSTANTIATED, note: "查证属实，已依法处理") { status } }', { id: mine[0]!.id }, graph.as('DEPARTMENT', 'court clerk'));
    expect(closed.body.data.closeReport.status).toBe('CLOSED');

    // The reporter follows it with the receipt code, typed loosely: the result, and nothing of who reported.
    await page.goto(`${web.url}/conduct-reports`);
    await page.getByLabel('回执码').fill(receiptCode.toLowerCase().replaceAll('-', ''));
    await page.getByRole('button', { name: '查询' }).click();
    const facts = page.locator('dl.facts');
    expect(await facts.getAttribute('data-report-status')).toBe('CLOSED');
    expect(await facts.textContent()).toContain('查证属实');
    expect(await facts.textContent()).toContain('人民法院');
    const followed = await page.content();
    expect(followed).not.toContain('13800138000');
    expect(followed).not.toContain('举报人甲');
    await checkPage('conduct-report-followed');
    // A code no report has says so, and nothing else.
    await page.goto(`${web.url}/conduct-reports`);
    await page.getByLabel('回执码').fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: '查询' }).click();
    expect(await page.locator('.notice.error').textContent()).toContain('没有与该回执码对应的举报');
    // A report about a code that is no subject is refused with the reason, and the text typed is kept.
    await page.goto(`${web.url}/conduct-reports`);
    await page.getByLabel('被举报主体的统一社会信用代码').fill('91110000000000000X');
    await page.getByLabel('失信行为（时间、地点、经过）').fill('虚假宣传');
    await page.getByRole('button', { name: '提交举报' }).click();
    expect(await page.locator('.notice.error').textContent()).toContain('举报未能提交');
    expect(await page.getByLabel('失信行为（时间、地点、经过）').inputValue()).toBe('虚假宣传');
  });

  it('publishes credit commitments and inspection results on their pages and on the subject page', async () => {
    const code = debtor.code; // a subject the courts hold records of: a department records only its own subjects' commitments
    const courts = graph.as('DEPARTMENT', 'court clerk');
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const inDays = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const committed = await graph.graphql('mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { id } }', {
      input: { subjectCode: code, scenario: 'ADMINISTRATIVE_LICENSING', content: '三十日内补齐执行和解材料', application: '执和申〔2026〕7号', madeOn: today, deadline: inDays(30), idempotencyKey: `web-commitment-${Date.now()}-padding` },
    }, courts);
    expect(committed.body.errors).toBeUndefined();
    const drawn = await graph.graphql('mutation($input: DrawSpotCheckPlanInput!) { drawSpotCheckPlan(input: $input) { id selected { code } } }', {
      input: { name: '2026年执行领域双随机抽查', population: [code], seed: 'web-17', idempotencyKey: `web-plan-${Date.now()}-padding` },
    }, courts);
    expect(drawn.body.data.drawSpotCheckPlan.selected).toEqual([{ code }]);
    const inspected = await graph.graphql('mutation($input: RecordInspectionResultInput!) { recordInspectionResult(input: $input) { id } }', {
      input: { planId: drawn.body.data.drawSpotCheckPlan.id, subjectCode: code, outcome: 'COMPLIANT', findings: '执行和解协议履行正常', inspectedOn: today },
    }, courts);
    expect(inspected.body.errors).toBeUndefined();

    await page.goto(`${web.url}/`);
    await page.getByRole('link', { name: '信用承诺公示' }).click();
    await page.getByLabel('认定部门').selectOption('COURTS');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/\/commitments\?department=COURTS/);
    const commitment = page.locator(`tr[data-commitment="${committed.body.data.recordCommitment.id}"]`);
    expect(await commitment.textContent()).toContain('三十日内补齐执行和解材料');
    expect(await commitment.locator('.status').getAttribute('data-status')).toBe('KEPT');
    await checkPage('commitments');

    await page.goto(`${web.url}/inspections?department=COURTS`);
    const result = page.locator(`tr[data-inspection="${inspected.body.data.recordInspectionResult.id}"]`);
    expect(await result.textContent()).toContain('执行和解协议履行正常');
    expect(await result.textContent()).toContain('未发现问题');
    await checkPage('inspections');

    await page.goto(`${web.url}/subject/${code}`);
    expect(await page.locator('section[aria-labelledby="s-commitments"]').textContent()).toContain('执和申〔2026〕7号');
    expect(await page.locator('section[aria-labelledby="s-inspections"]').textContent()).toContain('2026年执行领域双随机抽查');
  });

  it('switches to English and back', async () => {
    await page.goto(`${web.url}/subject/${debtor.code}`);
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('section[aria-labelledby="s-lists"] h2').textContent()).toContain('Red, black and key-attention lists');
    await checkPage('subject-en');
    await page.getByRole('link', { name: '中文' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('logs a clerk in with the credit office key, and refuses a wrong one', async () => {
    await page.goto(`${web.url}/console/check`);
    await page.waitForURL(/\/console\/login$/);
    await page.getByLabel('访问凭证（API Key）').fill('cgk_not-a-key');
    await page.getByLabel('查询事由（记入审计日志）').fill('信用办日常监管');
    await page.getByRole('button', { name: '登录' }).click();
    expect(await page.locator('.notice.error').textContent()).toContain('凭证无效');
    await checkPage('console-login');
    await page.getByLabel('访问凭证（API Key）').fill(graph.credentials.CREDIT_OFFICE.apiKey);
    await page.getByLabel('查询事由（记入审计日志）').fill('信用办日常监管');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/console$/);
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'cg_console');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie!.value).not.toContain(graph.credentials.CREDIT_OFFICE.apiKey);
  });

  it('checks a list of bidders in one go and offers the table as CSV', async () => {
    const clean = graph.seeded.examples.clean;
    await page.goto(`${web.url}/console/check`);
    // A CSV of two bidders (one by code, one by name), then a mistyped code and an unknown name pasted.
    const csvFile = path.join(ARTIFACTS, 'bidders.csv');
    fs.writeFileSync(csvFile, `\uFEFF统一社会信用代码,名称\r\n${clean},\r\n,${debtor.name}\r\n`);
    await page.setInputFiles('#csv', csvFile);
    await page.waitForFunction(() => (document.getElementById('codes') as HTMLTextAreaElement).value.includes('名称'));
    const box = page.getByLabel('投标人统一社会信用代码或名称（每行一个，或逗号分隔）');
    await box.fill(`${await box.inputValue()}\n91350100M000100Y4X\n不存在的建筑有限公司`);
    await page.getByLabel('查询事由（记入审计日志）').fill('招标 2026-017');
    await page.getByRole('button', { name: '核查' }).click();
    const rows = page.locator('table.check tbody tr');
    await rows.first().waitFor();
    // Every line, in order: the header row, the two bidders, the two that could not be checked (and why).
    expect(await rows.count()).toBe(5);
    expect(await rows.nth(1).textContent()).toContain('无限制');
    expect(await rows.nth(2).textContent()).toContain('禁止');
    expect(await rows.nth(3).textContent()).toContain('91350100M000100Y4X');
    expect(await rows.nth(4).textContent()).toContain('不存在的建筑有限公司');
    await checkPage('bidder-check');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 CSV' }).click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('行号,序号,填报内容,统一社会信用代码,名称,核查结论,适用措施,未响应部门,核查时间,核查编号,说明');
    // Every line of the input is in the record of the check, the ones not checked with why.
    expect(csv).toContain('91350100M000100Y4X');
    expect(csv).toContain('不存在的建筑有限公司');
    expect(lines.filter((line) => line.includes('未核查'))).toHaveLength(3); // the header row too
    expect(lines[2]).toContain(`2,,${clean},${clean},`);
    expect(csv).toContain(debtor.code);
    expect(csv).toContain('禁止');
  });

  it("gives the credit office's clerk the desk: a filing code issued, the subject's objection verified, the inbox of joint cases", async () => {
    await page.goto(`${web.url}/console/desk`);
    const codeForm = page.locator('form[action="/console/desk/filing-code"]');
    await codeForm.getByLabel('统一社会信用代码').fill(graph.seeded.examples.abnormalOperations);
    await codeForm.getByLabel('联系方式').fill('0755-88886666');
    await codeForm.getByRole('button', { name: '发放' }).click();
    await page.locator('.filing-code').waitFor();
    expect(await page.locator('.filing-code').textContent()).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('table.inbox, p.empty').count()).toBeGreaterThan(0);
    await checkPage('console-desk');

    // The subject's own objection (filed on the self-service page above), rejected by the clerk: the mark goes.
    expect(ownObjection.id).not.toBe('');
    const verify = page.locator('form[action="/console/desk/objection"]');
    await verify.getByLabel('异议编号').fill(ownObjection.id);
    await verify.getByLabel('结论').selectOption('REJECTED');
    await verify.getByLabel('决定说明').fill('经核查，记录准确');
    await verify.getByRole('button', { name: '提交决定' }).click();
    await page.locator('.notice.info').waitFor();
    expect(await page.locator('.notice.info').textContent()).toContain('未予支持');
    // Deciding it again with another outcome is refused, with the graph's reason.
    const again = page.locator('form[action="/console/desk/objection"]');
    await again.getByLabel('异议编号').fill(ownObjection.id);
    await again.getByLabel('结论').selectOption('UPHELD_REVOKED');
    await again.getByLabel('决定说明').fill('改判');
    await again.getByRole('button', { name: '提交决定' }).click();
    await page.locator('.notice.error').waitFor();
    expect(await page.locator('.notice.error').textContent()).toContain('未办理');
    await page.goto(`${web.url}/subject/${ownObjection.code}`);
    const record = page.locator('section[aria-labelledby="s-serious"] article', { hasText: ownObjection.recordId });
    expect(await record.getAttribute('class')).not.toContain('disputed');
  });

  it('shows the credit office an overdue objection and the statistics as charts with their numbers', async () => {
    // An objection to a tax violation record, filed through the API by the credit office (the demo's
    // department client is the court's, and acts for the court's records only), then aged past
    // its 20 days (the clock cannot be moved for a process; the deadline was written when it was filed).
    const disputed = graph.seeded.examples.majorTaxViolation;
    const record = await graph.graphql(`query($code: ID!) { subject(code: $code) { tax { majorViolations { recordId } } } }`, { code: disputed });
    const filed = await graph.graphql(
      `mutation($input: FileObjectionInput!) { fileObjection(input: $input) { id } }`,
      { input: { subjectCode: disputed, department: 'TAX', recordId: record.body.data.subject.tax.majorViolations[0].recordId, reason: '已补缴税款及滞纳金', idempotencyKey: `web-${crypto.randomUUID()}` } },
      graph.as('CREDIT_OFFICE'),
    );
    expect(filed.body.errors).toBeUndefined();
    const objectionId: string = filed.body.data.fileObjection.id;
    const db = new Client({ connectionString: graph.databaseUrl });
    await db.connect();
    await db.query(`UPDATE credit.objection SET filed_at = now() - interval '25 days', verify_by = verify_by - 25 WHERE id = $1`, [objectionId]);
    await db.end();

    await page.goto(`${web.url}/console`);
    const overdue = page.locator('table.results').first();
    expect(await overdue.textContent()).toContain(disputed);
    expect(await overdue.locator('tr.overdue').count()).toBe(1);
    expect(await overdue.locator('tr.overdue').textContent()).toContain('已逾期');
    expect(await page.locator('figure.chart svg[role=img]').count()).toBe(5);
    await checkPage('console');
    const checksThisMonth = page.locator('#chart-checks table.numbers tbody tr').last();
    expect(await page.locator('#chart-checks table.numbers tbody tr').count()).toBe(6);
    expect(Number(await checksThisMonth.locator('td').first().textContent())).toBeGreaterThanOrEqual(2); // the bidder check's two
    for (const [url, name] of [['/console/lists', 'console-lists'], ['/console/catalogue', 'console-catalogue'], ['/console/lookup?jointCase=1', 'console-lookup']]) {
      await page.goto(`${web.url}${url!}`);
      await checkPage(name!);
    }
    expect(await page.locator('main').textContent()).toContain('未找到');
    await page.goto(`${web.url}/console/catalogue`);
    expect(await page.locator('table.results tbody tr').count()).toBeGreaterThan(5);
    await page.goto(`${web.url}/console`);
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL(/\/console\/login$/);
    await page.goto(`${web.url}/console`);
    await page.waitForURL(/\/console\/login$/);
  });

  it('issues no report while a department is down, and the subject page says which part is missing', async () => {
    await graph.graph.stopService('tax');
    // A subject nobody asked for yet: nothing of it is in the gateway's cache.
    const code = graph.seeded.examples.environmentalBlack;
    await page.goto(`${web.url}/subject/${code}`);
    await page.getByRole('link', { name: '下载公共信用信息报告（PDF）' }).click();
    await page.waitForURL(/report\.pdf$/);
    expect(await page.locator('.notice.error').textContent()).toContain('暂不能出具信用报告：税务部门暂未响应');
    await checkPage('report-unavailable');
    await page.goto(`${web.url}/subject/${code}`);
    expect(await page.locator('.notice').first().textContent()).toContain('部分部门暂未响应');
    expect(await page.locator('section[aria-labelledby="s-taxRatings"]').textContent()).toContain('该部门暂未响应');
    expect(await page.locator('section[aria-labelledby="s-registration"] article').count()).toBe(1); // the others still answer
    await checkPage('subject-department-down');
  });

  it('sent no request anywhere but this host, and raised no page error', () => {
    expect(browser.offHostRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
