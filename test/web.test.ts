/**
 * The website's own logic, in process: escaping of everything it echoes, the headers every page
 * carries, the console's gate, and the pieces of the bidder check and the purpose header. The
 * pages against a real graph are test/e2e/website.test.ts.
 */
import type { FastifyInstance } from 'fastify';
import { buildWebApp } from '../web/app';
import { html, escapeHtml } from '../web/html';
import { purposeHeader } from '../web/graph';
import { lastMonths, noticeTable, parseBidders, toCsv } from '../web/pages/console';
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

  it('renders a page saying the graph could not be reached, rather than failing', async () => {
    const response = await app.inject({ url: '/lists?kind=BLACK' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('the gateway could not be reached');
  });

  it('sends every console page to the login, and logs nobody in while the gateway cannot confirm the key', async () => {
    for (const url of ['/console', '/console/check', '/console/check.csv', '/console/lists', '/console/catalogue', '/console/lookup']) {
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

  it('reads bidders by code or name from pasted text and CSV, and writes a CSV spreadsheets read as UTF-8', () => {
    expect(parseBidders('统一社会信用代码,名称\n"91350100M000100Y43",甲建筑有限公司\r\n91110105MA0000YY08；91110105MA0000YY09 91110105MA0000YY0X\n乙 贸易公司')).toEqual([
      { code: '91350100M000100Y43' }, { name: '甲建筑有限公司' }, { code: '91110105MA0000YY08' }, { code: '91110105MA0000YY09' }, { code: '91110105MA0000YY0X' }, { name: '乙 贸易公司' },
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
