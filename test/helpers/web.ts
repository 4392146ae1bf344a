/**
 * The website as a real process (web/main.ts) beside a test graph, and a headless Chromium that
 * records every request leaving the host and checks pages with axe-core, injected from
 * node_modules (nothing is fetched).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT_DIR } from '../../lib/config';
import { stopChild, waitUntilReady } from '../../scripts/graph-processes';
import { CHROMIUM_ARGS, CHROMIUM_PATH, isOffHost } from './browser';
import { startTestGraph, type TestGraph } from './graph';
import { freePorts } from './ports';

export interface WebProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startWebProcess(options: { gatewayUrl: string; port: number; logFile: string; proxySecret?: string; env?: NodeJS.ProcessEnv }): Promise<WebProcess> {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'web', 'main.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, HOST: '127.0.0.1', WEB_PORT: String(options.port), WEB_GATEWAY_URL: options.gatewayUrl, LOG_LEVEL: 'warn', PROXY_SECRET: options.proxySecret ?? '', ...options.env },
    stdio: ['ignore', log, log],
  });
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntilReady(`${url}/readyz`, child, 30_000);
  return { url, child, stop: () => stopChild(child) };
}

/**
 * The whole graph and the website beside it, as `npm start` runs them: the reports' verification
 * address points at the website's port; with `proxySecret` the website vouches for its visitors'
 * addresses as the launcher sets it up.
 */
export async function startGraphWithWebsite(options: { subjects?: number; proxySecret?: boolean } = {}): Promise<{ graph: TestGraph; web: WebProcess }> {
  const [webPort] = await freePorts(1);
  const proxySecret = options.proxySecret ? crypto.randomBytes(32).toString('base64url') : undefined;
  const graph = await startTestGraph({
    subjects: options.subjects ?? 300,
    env: { CREDIT_REPORT_VERIFY_URL: `http://127.0.0.1:${webPort}/verify/`, ...(proxySecret ? { PROXY_SECRET: proxySecret } : {}) },
  });
  const web = await startWebProcess({ gatewayUrl: `${graph.url}/graphql`, port: webPort!, logFile: path.join(graph.logDir, 'web.log'), proxySecret });
  return { graph, web };
}

export interface OfflineBrowser {
  context: BrowserContext;
  page: Page;
  /** Every request (and CSP-refused load) to anything but this host or loopback. */
  offHostRequests: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openOfflineBrowser(pageHost: string): Promise<OfflineBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-web-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(20_000);
  const offHostRequests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (isOffHost(target, pageHost)) {
      offHostRequests.push(target);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const store = window as unknown as { __cspViolations?: string[] };
      (store.__cspViolations ??= []).push(`${event.effectiveDirective} ${event.blockedURI}`);
    });
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    offHostRequests,
    pageErrors,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** The page's serious and critical accessibility violations (axe-core, WCAG 2.1 A and AA rules). */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** What the page's CSP refused so far (should be nothing: every asset is the site's own). */
export const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
