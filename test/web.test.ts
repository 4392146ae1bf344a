/**
 * The website's own logic, in process: escaping of everything it echoes, the headers every page
 * carries, the console's gate, and the pieces of the bidder check and the purpose header. The
 * pages against a real graph are test/e2e/website.test.ts.
 */
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../web/app';
import { html, escapeHtml } from '../web/html';
import { purposeHeader } from '../web/graph';
import { dashboardMonths, lastMonths, noticeTable } from '../web/pages/console';
import { parseBidders } from '../web/bidders';
import { toCsv } from '../web/spreadsheet';
import { InvalidFilter } from '../web/filters';
import { refusalText } from '../web/refusals';
import { createLogger } from '../lib/logger';
import { freePorts } from './helpers/ports';

describe('the website in process', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    // A port nothing listens on: the gateway is unreachable, and the pages must say so, not fail.
    const [port] = await freePorts(1);
    app = await buildWebApp({ gatewayUrl: `http://127.0.0.1:${port}/graphql`, logger: createLogger('web-test', 'silent') });
    await app.ready();
  });
  afterAll(() => app?.close());

  it('refuses a form posted from another origin (another port of the host too), and serves its own', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', host: 'credit.example:4006' };
    for (const origin of ['http://evil.example', 'http://credit.example:4999', 'null']) {
      const forged = await app.inject({ method: 'POST', url: '/console/login', headers: { ...form, origin }, payload: 'apiKey=cgk_x&purpose=p' });
      expect({ origin, status: forged.statusCode }).toEqual({ origin, status: 403 });
    }
    const referred = await app.inject({ method: 'POST', url: '/console/check', headers: { ...form, referer: 'http://evil.example/page' }, payload: 'codes=x' });
    expect(referred.statusCode).toBe(403);
    // From its own pages the login runs (and fails here: the gateway is unreachable, which proves nothing about the key: 503).
    const own = await app.inject({ method: 'POST', url: '/console/login', headers: { ...form, origin: 'http://credit.example:4006' }, payload: 'apiKey=cgk_x&purpose=p' });
    expect(own.statusCode).toBe(503);
  });

  it('takes the first of a query parameter sent twice instead of failing', async () => {
    for (const url of ['/search?q=a&q=b', '/verify?number=a&number=b', '/lists?kind=BLACK&kind=RED', '/?lang=en&lang=zh']) {
      const response = await app.inject({ url });
      expect({ url, status: response.statusCode < 500 }).toEqual({ url, status: true });
    }
  });

  it('escapes what it echoes, in text and in attributes', async () => {
    expect(html`<p title="${'"><script>'}">${'<img src=x onerror=alert(1)>'}</p>`.text).toBe('<p title="&quot;&gt;&lt;script&gt;">&lt;img src=x onerror=alert(1)&gt;</p>');
    expect(escapeHtml(`'&`)).toBe('&#39;&amp;');
    const response = await app.inject({ url: `/search?q=${encodeURIComponent('"><script>alert(1)</script>')}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<script>alert(1)</script>');
    expect(response.body).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('serves every page with a CSP that allows only its own origin, and its assets from the repository', async () => {
    const page = await app.inject({ url: '/' });
    expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'; style-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const refs = [...page.body.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.filter((ref) => !(ref.startsWith('#') || (ref.startsWith('/') && !ref.startsWith('//'))))).toEqual([]);
    for (const asset of ['/assets/site.css', '/assets/site.js', '/assets/source-han-sans-cn.woff2']) {
      expect((await app.inject({ url: asset })).statusCode).toBe(200);
    }
    expect((await app.inject({ url: '/assets/..%2f..%2fpackage.json' })).statusCode).toBe(404);
  });

  it('is in Chinese unless English is asked for, and remembers the choice', async () => {
    expect((await app.inject({ url: '/' })).body).toContain('<html lang="zh-CN">');
    const english = await app.inject({ url: '/?lang=en' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.headers['set-cookie']).toMatch(/^lang=en;/);
    expect((await app.inject({ url: '/lists', headers: { cookie: 'lang=en' } })).body).toContain('<html lang="en">');
  });

  it('answers an address with no page with an HTML page and 404 (found by a black-box review: Fastify\'s JSON)', async () => {
    for (const url of ['/nonexistent', '/subject', '/console/nothing-here']) {
      const response = await app.inject({ url });
      expect({ url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ url, status: 404, type: 'text/html; charset=utf-8' });
      expect(response.body).toContain('页面不存在');
      expect(response.body).not.toContain('Route GET');
    }
    expect((await app.inject({ url: '/nonexistent', headers: { cookie: 'lang=en' } })).body).toContain('Page not found');
  });

  it("answers a post too big or of a kind no form sends with the site's own Chinese page and its status (found by a black-box review: Fastify's JSON)", async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const cases = [
      { url: '/self-service/objection', headers: form, payload: `reason=${'x'.repeat(11 * 1024 * 1024)}`, status: 413 },
      // The bidder check takes 2 MB: a thousand lines of 200 characters.
      { url: '/console/check', headers: form, payload: `codes=${'9'.repeat(3 * 1024 * 1024)}`, status: 413 },
      { url: '/console/login', headers: { 'content-type': 'application/xml' }, payload: '<apiKey>x</apiKey>', status: 415 },
      // The verification page takes a file as a form with a file: a plain form post is refused as the others.
      { url: '/verify/R20261202ABCDEFGHJKMN/file', headers: form, payload: 'report=x', status: 415 },
    ];
    for (const { status, ...request } of cases) {
      const response = await app.inject({ method: 'POST', ...request });
      expect({ url: request.url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ url: request.url, status, type: 'text/html; charset=utf-8' });
      expect(response.body).toContain(status === 413 ? '提交的内容过大，未处理' : '提交的格式不受支持');
      expect(response.body).not.toContain('FST_ERR');
    }
  });

  it('refuses a filter value a page cannot use with 400, saying which, instead of showing another list (found by a black-box review)', async () => {
    const cases: [string, string][] = [
      // The filter and its choices in the words of the page (found by a black-box review: kind, BLACK、RED).
      ['/lists?kind=PURPLE', '“类别”的值“PURPLE”无效，可选：黑名单、红名单、重点关注名单'],
      ['/lists?department=NOWHERE', '“部门”的值“NOWHERE”无效'],
      ['/lists?from=2026-02-30', '“起始日期”的值“2026-02-30”不是有效日期'],
      ['/lists?from=2026-06-01&to=2026-01-01', '起始“2026-06-01”晚于截止“2026-01-01”'],
      ['/publicity?department=TAX', '“部门”的值“TAX”无效，可选：市场监管部门、生态环境部门'],
      ['/publicity?kind=FINE', '“类别”的值“FINE”无效'],
      ['/commitments?department=MOON', '“部门”的值“MOON”无效'],
      ['/inspections?department=MOON', '“部门”的值“MOON”无效'],
    ];
    for (const [url, message] of cases) {
      const response = await app.inject({ url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 400 });
      expect(response.body).toContain(message);
    }
    // An empty value is the form's "all" (the department select sends one): no error.
    expect((await app.inject({ url: '/lists?kind=RED&department=&from=&to=' })).statusCode).toBe(200);
  });

  it('renders a page saying the graph could not be reached, rather than failing', async () => {
    const response = await app.inject({ url: '/lists?kind=BLACK' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('暂时无法连接信用信息平台');
    // The English site keeps the English message.
    expect((await app.inject({ url: '/lists?kind=BLACK', headers: { cookie: 'lang=en' } })).body).toContain('the gateway could not be reached');
  });

  it('sends every console page to the login, and logs nobody in while the gateway cannot confirm the key', async () => {
    for (const url of ['/console', '/console/check', '/console/check/AAAAAAAAAAAAAAAA.csv', '/console/check/AAAAAAAAAAAAAAAA.xlsx', '/console/lists', '/console/catalogue', '/console/lookup']) {
      const response = await app.inject({ url });
      expect({ url, status: response.statusCode, location: response.headers.location }).toEqual({ url, status: 303, location: '/console/login' });
    }
    const forged = await app.inject({ url: '/console', headers: { cookie: 'cg_console=made-up' } });
    expect(forged.headers.location).toBe('/console/login');
    const login = await app.inject({ method: 'POST', url: '/console/login', payload: 'apiKey=cgk_x&purpose=test', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    // Not "invalid key": the key could not be judged (the console says so), and nobody is logged in.
    expect(login.statusCode).toBe(503);
    expect(login.body).toContain('暂时无法核验凭证');
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  it('reads bidders by code or name from pasted text and CSV, each with its line, and writes a CSV spreadsheets read as UTF-8', () => {
    const brief = (text: string) => parseBidders(text).entries.map((e) => [e.line, e.kind, e.kind === 'code' ? e.code : e.kind === 'name' ? e.name : '', e.kind === 'code' ? e.givenName : null]);
    expect(brief('统一社会信用代码,名称\n"91350100M000100Y43",甲建筑有限公司\r\n91110105MA0000YY08；91110105MA0000YY09 91110105MA0000YY0X\n乙 贸易公司')).toEqual([
      [1, 'header', '', null], [2, 'code', '91350100M000100Y43', '甲建筑有限公司'],
      [3, 'code', '91110105MA0000YY08', null], [3, 'code', '91110105MA0000YY09', null], [3, 'code', '91110105MA0000YY0X', null], [4, 'name', '乙 贸易公司', null],
    ]);
    // An export with a sequence-number column, a contact person and a row without a code (found by a black-box review:
    // the header, the numbers and the contact were each taken for a bidder).
    const exported = parseBidders('\uFEFF序号,投标人名称,统一社会信用代码,联系人\r\n1,甲建筑有限公司,91350100M000100Y43,张三\r\n2,乙贸易有限公司,,李四\r\n3,,,\r\n');
    expect(exported.entries.map((e) => [e.line, e.kind, 'name' in e ? e.name : 'code' in e ? e.code : ''])).toEqual([
      [1, 'header', ''], [2, 'code', '91350100M000100Y43'], [3, 'name', '乙贸易有限公司'], [4, 'empty', ''],
    ]);
    expect(exported.skippedNumbers).toBe(3);
    // The same bidder twice is two entries (the check says the second repeats the first); a quoted name keeps its comma.
    expect(brief('91350100M000100Y43\n\n91350100M000100Y43\n"甲,乙公司",91110105MA0000YY08')).toEqual([
      [1, 'code', '91350100M000100Y43', null], [3, 'code', '91350100M000100Y43', null], [4, 'code', '91110105MA0000YY08', '甲,乙公司'],
    ]);
    expect(toCsv({ header: ['代码', '措施'], rows: [['9135', '限制参与招标投标（法院；"依据"）\n第二项']] })).toBe(
      '\uFEFF代码,措施\r\n9135,"限制参与招标投标（法院；""依据""）\n第二项"\r\n',
    );
    expect(toCsv({ header: ['名称'], rows: [['=HYPERLINK("http://x")'], ['@SUM(A1)'], ['-1']] })).toBe(
      '\uFEFF名称\r\n"\'=HYPERLINK(""http://x"")"\r\n\'@SUM(A1)\r\n\'-1\r\n',
    );
  });

  it('sends a Chinese purpose as an RFC 8187 value, an ASCII one as it is', () => {
    expect(purposeHeader('tender 2026-17')).toBe('tender 2026-17');
    expect(purposeHeader('招标 2026-017')).toBe(`utf-8''%E6%8B%9B%E6%A0%87%202026-017`);
  });

  it('charts the period asked for, six months by default, and refuses one it cannot chart (found by a black-box review: no period could be chosen)', () => {
    expect(dashboardMonths({}, '2026-03-15').map((m) => m.label)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(dashboardMonths({ from: '2026-01', to: '2026-05' }, '2026-12-02')).toEqual([
      { label: '2026-01', from: '2026-01-01', to: '2026-01-31' }, { label: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { label: '2026-03', from: '2026-03-01', to: '2026-03-31' }, { label: '2026-04', from: '2026-04-01', to: '2026-04-30' },
      { label: '2026-05', from: '2026-05-01', to: '2026-05-31' },
    ]);
    expect(dashboardMonths({ from: '2026-10' }, '2026-12-02').map((m) => m.label)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(dashboardMonths({ to: '2024-02' }, '2026-12-02').map((m) => m.label)).toEqual(['2023-09', '2023-10', '2023-11', '2023-12', '2024-01', '2024-02']);
    const refused = (query: Record<string, string>) => {
      try {
        dashboardMonths(query, '2026-12-02');
      } catch (error) {
        return error instanceof InvalidFilter ? [error.key, error.values] : error;
      }
      return 'accepted';
    };
    expect(refused({ from: '2026-13' })).toEqual(['invalidMonth', { name: 'from', value: '2026-13' }]);
    expect(refused({ from: '2026-06', to: '2026-01' })).toEqual(['invalidPeriod', { from: '2026-06', to: '2026-01' }]);
    expect(refused({ from: '2024-01', to: '2026-01' })).toEqual(['periodTooLong', { n: 12, months: 25 }]);
    expect(refused({ to: '2027-01' })).toEqual(['monthInFuture', { name: 'to', value: '2027-01' }]);
  });

  it('says the graph\'s refusals in Chinese, and a refused write as one (found by a black-box review: English messages, "may not view" for a write)', () => {
    const forbidden = { message: 'endListEntry: a MARKET client acts for MARKET\'s records only, not COURTS\'s', extensions: { code: 'FORBIDDEN', reason: 'OTHER_DEPARTMENT', department: 'MARKET' } };
    expect(refusalText('zh', forbidden, 'write')).toBe('当前凭证无权执行此操作：市场监管部门的凭证只能办理本部门的记录和事项');
    expect(refusalText('zh', { message: 'field', extensions: { code: 'FORBIDDEN' } })).toBe('当前凭证无权查看此项');
    expect(refusalText('en', forbidden, 'write')).toBe(forbidden.message);
    const code = { message: "invalid subject code '91440106093039229Q': check character is 'Q', expected 'H'", extensions: { code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: '91440106093039229Q' } };
    expect(refusalText('zh', code)).toBe('统一社会信用代码“91440106093039229Q”的校验位错误：第 18 位为“Q”，应为“H”，请核对代码');
    // A person's number with a wrong check character is told what a person's number expects.
    const person = { message: 'x', extensions: { code: 'BAD_USER_INPUT', reason: 'CHECKSUM', input: '110105197006172609' } };
    expect(refusalText('zh', person)).toMatch(/^身份证号码“110105197006172609”的校验位错误：第 18 位为“9”，应为“[0-9X]”，请核对号码$/);
    const filingCode = { message: 'fileOwnObjection: the filing code is not valid for this subject and filing', extensions: { code: 'FORBIDDEN', reason: 'NOT_ALLOWED', operation: 'fileOwnObjection' } };
    expect(refusalText('zh', filingCode, 'write')).toMatch(/^申请码无效/);
    expect(refusalText('zh', { message: 'x', extensions: { code: 'BAD_USER_INPUT', reason: 'NOT_ELIGIBLE_YET', eligibleFrom: '2027-03-01' } })).toBe('尚未到可申请信用修复的时间，2027-03-01 起可以申请');
    expect(refusalText('zh', { message: "'from' (2026-06-01) is after 'to' (2026-01-01)", extensions: { code: 'BAD_USER_INPUT', reason: 'PERIOD' } })).not.toMatch(/[a-z]{3}/);
    expect(refusalText('zh', { message: 'x', extensions: { code: 'BAD_USER_INPUT', reason: 'SOMETHING_NEW' } })).toBe('输入有误，请检查后再试（原因代码 SOMETHING_NEW）');
  });

  it('says in Chinese why an entry cannot be ended yet and which field a refusal is about (found by a black-box review: 原因代码 RECORD_IN_FORCE, no field named)', () => {
    const inForce = { message: 'x', extensions: { code: 'BAD_USER_INPUT', reason: 'RECORD_IN_FORCE', field: 'until', recordUntil: '2028-05-01' } };
    expect(refusalText('zh', inForce, 'write')).toBe('依据的部门记录仍然有效（至 2028-05-01），名单认定随记录结束：记录由部门结束（移出、履行或公示期满）、信用修复获准或异议成立时自动移出，不能提前结束');
    for (const reason of ['WEAKENS_CATALOGUE', 'NOT_CORRECTABLE', 'NOT_REGISTERED']) {
      expect(refusalText('zh', { message: 'x', extensions: { code: 'BAD_USER_INPUT', reason } })).not.toContain('原因代码');
    }
    // GraphQL's own variable check names the field only in its message.
    const badKind = { message: 'Variable "$input" got invalid value "PURPLE" at "input.kind"; Value "PURPLE" does not exist in "ListKind" enum.', extensions: { code: 'BAD_USER_INPUT' } };
    expect(refusalText('zh', badKind, 'write')).toBe('输入有误，请检查后再试：名单类别');
    expect(refusalText('zh', { message: 'x', extensions: { code: 'BAD_USER_INPUT', field: 'since' } })).toBe('输入有误，请检查后再试：列入日期');
  });

  it('counts the last six months, the current one up to today', () => {
    expect(lastMonths('2026-03-15')).toEqual([
      { label: '2025-10', from: '2025-10-01', to: '2025-10-31' },
      { label: '2025-11', from: '2025-11-01', to: '2025-11-30' },
      { label: '2025-12', from: '2025-12-01', to: '2025-12-31' },
      { label: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { label: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { label: '2026-03', from: '2026-03-01', to: '2026-03-15' },
    ]);
  });

  it('fills the month and the threshold into the notice\'s heading (issue 17 review: both were blank)', () => {
    const notice = { month: '2026-11', threshold: 0.9, departments: [] };
    expect(String(noticeTable('zh', notice))).toContain('2026-11 按时反馈率低于 90% 的实施部门');
    const rows = [{ department: 'ENVIRONMENT', measuresReceived: 3, measuresDue: 2, measuresOnTime: 1, measuresLate: 1, onTimeRate: 0.5 }];
    const english = String(noticeTable('en', { ...notice, threshold: 0.75, departments: rows }));
    expect(english).toContain('Implementing departments below 75% on-time feedback in 2026-11');
    expect(english).toContain('50%');
  });
});

/**
 * The website in process before a stand-in gateway that answers every request with `status`,
 * `headers` and `body`: how the site shows an answer the real graph gives only under load.
 */
function websiteBeforeGateway(status: number, headers: Record<string, string>, body: unknown): { app: () => FastifyInstance } {
  let app: FastifyInstance;
  let gateway: http.Server;
  beforeAll(async () => {
    gateway = http.createServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    });
    const [port] = await freePorts(1);
    await new Promise<void>((resolve) => gateway.listen(port, '127.0.0.1', resolve));
    app = await buildWebApp({ gatewayUrl: `http://127.0.0.1:${port}/graphql`, logger: createLogger('web-test', 'silent') });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => gateway?.close(resolve));
  });
  return { app: () => app };
}

describe('the website when the gateway says too many requests', () => {
  // A gateway that answers every request as the real one does past a visitor's rate limit.
  const site = websiteBeforeGateway(429, { 'retry-after': '30' }, { errors: [{ message: 'rate limit exceeded; retry in 30 s', extensions: { code: 'RATE_LIMITED' } }] });

  it('answers the page with 429, not 200 (found by a black-box review)', async () => {
    for (const url of ['/lists', '/publicity', '/search?q=建筑', '/commitments']) {
      const response = await site.app().inject({ url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 429 });
      expect(response.body).toContain('请求过于频繁');
    }
  });
});

describe("the website when the credit office's report renderer is full", () => {
  // The gateway lets the request through (200); the credit subgraph refuses the report, as its render queue does when full.
  const site = websiteBeforeGateway(200, {}, {
    data: { subject: { creditReport: null } },
    errors: [{ message: 'too many credit reports are being issued right now; try again in a moment', path: ['subject', 'creditReport'], extensions: { code: 'RATE_LIMITED' } }],
  });

  it('says the reports are busy with 503 and Retry-After, not that the visitor asked too often (found by a black-box review: 502 请求过于频繁)', async () => {
    const response = await site.app().inject({ url: '/subject/91440300MA5G0000X0/report.pdf' });
    expect({ status: response.statusCode, retryAfter: response.headers['retry-after'] }).toEqual({ status: 503, retryAfter: '5' });
    expect(response.body).toContain('报告生成繁忙，请稍后再试');
    expect(response.body).not.toContain('请求过于频繁');
  });
});

describe('the website listening, for what Node answers before any route', () => {
  let app: FastifyInstance;
  let url = '';
  beforeAll(async () => {
    const [port, webPort] = await freePorts(2);
    app = await buildWebApp({ gatewayUrl: `http://127.0.0.1:${port}/graphql`, logger: createLogger('web-test', 'silent') });
    await app.listen({ port: webPort!, host: '127.0.0.1' });
    url = `http://127.0.0.1:${webPort}`;
  });
  afterAll(() => app?.close());

  it("answers a search address over Node's header limit with 431 and the site's Chinese page, not Node's JSON (found by a black-box review)", async () => {
    const response = await fetch(`${url}/search?q=${encodeURIComponent('建筑'.repeat(4000))}`);
    expect({ status: response.status, type: response.headers.get('content-type') }).toEqual({ status: 431, type: 'text/html; charset=utf-8' });
    const body = await response.text();
    expect(body).toContain('网址过长，未处理');
    expect(body).not.toContain('"statusCode"');
  });
});
