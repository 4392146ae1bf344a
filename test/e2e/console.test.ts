/**
 * The console as a black-box review of the running site used it (issue 16 review), end to end:
 * every service a real process over seeded PostgreSQL, the web process, headless Chromium.
 * Repair applications listed through the graph for each role.
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
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { freePorts } from '../helpers/ports';
import { environmentalPenalty, marketPenalty, type DepartmentDatabases } from '../helpers/department-records';
import { cspViolations, openOfflineBrowser, seriousAccessibilityViolations, startWebProcess, type OfflineBrowser, type WebProcess } from '../helpers/web';

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
    const [webPort] = await freePorts(1);
    const proxySecret = crypto.randomBytes(32).toString('base64url');
    graph = await startTestGraph({ subjects: 300, env: { CREDIT_REPORT_VERIFY_URL: `http://127.0.0.1:${webPort}/verify/`, PROXY_SECRET: proxySecret } });
    web = await startWebProcess({ gatewayUrl: `${graph.url}/graphql`, port: webPort!, logFile: path.join(graph.logDir, 'web.log'), proxySecret });
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
  });

  it('sent no request anywhere but this host, and raised no page error', () => {
    expect(browser.offHostRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
