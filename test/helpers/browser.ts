/**
 * Drives the playground in a real headless Chromium, the way an officer on a
 * network without internet would use it: load the page, type headers and a
 * query into GraphiQL, press Run, read the result pane. Every request the page
 * makes is recorded so tests can prove nothing left the host.
 *
 * Usable against the in-process test server and against a full gateway.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Background services (updates, sync, safe browsing lists) would phone home on their own and
// make the off-host check flaky for reasons that have nothing to do with the page.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PlaygroundRunOptions {
  /** JSON text for the variables pane. */
  variables?: string;
  /** Also write the screenshot here. */
  screenshotPath?: string;
  /** Overall budget for the page to load and the answer to appear. */
  timeoutMs?: number;
}

export interface PlaygroundRun {
  /** The result pane's text, as the user sees it (GraphiQL pretty-prints the JSON). */
  resultText: string;
  /** Requests (and CSP-blocked attempts) to anything but the page's own host or loopback. */
  offHostRequests: string[];
  /** Everything the page's CSP refused, on-host too: a non-empty list means the CSP breaks something. */
  cspViolations: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  screenshot?: Buffer;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isOffHost(target: string, pageHost: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(target);
  } catch {
    return true;
  }
  // data: and blob: URLs are the page's own bytes (GraphiQL inlines its fonts as data: URLs).
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return false;
  return !(LOOPBACK.has(parsed.hostname) || parsed.hostname === pageHost);
}

/** Sets a CodeMirror 5 editor's text through its instance, as typing would (change events fire). */
async function setEditor(page: Page, selector: string, value: string): Promise<void> {
  await page.waitForSelector(selector, { state: 'attached' });
  await page.evaluate(
    ([sel, text]) => {
      const element = document.querySelector(sel) as (Element & { CodeMirror?: { setValue(v: string): void } }) | null;
      if (!element?.CodeMirror) throw new Error(`no CodeMirror editor at ${sel}`);
      element.CodeMirror.setValue(text);
    },
    [selector, value] as const,
  );
}

async function openEditorTab(page: Page, name: 'headers' | 'variables'): Promise<void> {
  const tab = page.locator(`.graphiql-editor-tools button[data-name="${name}"]`);
  // A second click on the active tab would collapse the pane.
  if (!((await tab.getAttribute('class')) ?? '').split(/\s+/).includes('active')) await tab.click();
  await page.waitForSelector('.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror');
}

export async function runQueryInPlayground(
  url: string,
  query: string,
  headers?: Record<string, string>,
  options: PlaygroundRunOptions = {},
): Promise<PlaygroundRun> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  }
  const timeout = options.timeoutMs ?? 20_000;
  const pageHost = new URL(url).hostname;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    timeout,
  });
  const offHostRequests: string[] = [];
  const pageErrors: string[] = [];
  try {
    context.setDefaultTimeout(timeout);
    // Record, then refuse: an off-host request must fail fast rather than hang the test on a dead network.
    await context.route('**/*', (route) => {
      const target = route.request().url();
      if (isOffHost(target, pageHost)) {
        offHostRequests.push(target);
        return route.abort('blockedbyclient');
      }
      return route.continue();
    });
    context.on('weberror', (error) => pageErrors.push(error.error().message));
    // The page's CSP blocks off-host loads before they become requests; count those attempts too.
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const store = window as unknown as { __cspViolations?: Array<{ directive: string; blocked: string }> };
        (store.__cspViolations ??= []).push({ directive: event.effectiveDirective, blocked: event.blockedURI });
      });
    });

    const page = context.pages()[0] ?? (await context.newPage());
    page.on('websocket', (socket) => {
      if (isOffHost(socket.url(), pageHost)) offHostRequests.push(socket.url());
    });

    const response = await page.goto(url, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`GET ${url} answered ${response?.status()}`);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror');

    if (headers && Object.keys(headers).length > 0) {
      await openEditorTab(page, 'headers');
      await setEditor(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', JSON.stringify(headers, null, 2));
    }
    if (options.variables !== undefined) {
      await openEditorTab(page, 'variables');
      await setEditor(page, '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror', options.variables);
    }
    await setEditor(page, '.graphiql-query-editor .CodeMirror', query);
    // GraphiQL re-parses the query (and with it the operation name it sends) on a
    // debounce after each edit; clicking sooner than a person could would send the
    // previous query's operation name.
    await page.waitForTimeout(400);
    await page.click('.graphiql-execute-button');

    // The result pane is a read-only CodeMirror; it holds the pretty-printed JSON once the answer arrives.
    const handle = await page.waitForFunction(() => {
      const element = document.querySelector('.graphiql-response .CodeMirror') as
        | (Element & { CodeMirror?: { getValue(): string } })
        | null;
      const text = element?.CodeMirror?.getValue() ?? '';
      return text.trim().length > 0 ? text : false;
    });
    const resultText = (await handle.jsonValue()) as string;

    const violations = await page.evaluate(
      () => (window as unknown as { __cspViolations?: Array<{ directive: string; blocked: string }> }).__cspViolations ?? [],
    );
    const cspViolations = violations.map((v) => `${v.directive} blocked ${v.blocked}`);
    // blockedURI is 'inline' or 'eval' for non-URL violations; only real URLs count as off-host attempts.
    for (const v of violations) if (/^[a-z]+:/i.test(v.blocked) && isOffHost(v.blocked, pageHost)) offHostRequests.push(v.blocked);

    const screenshot = await page.screenshot({ fullPage: false });
    if (options.screenshotPath) fs.writeFileSync(options.screenshotPath, screenshot);
    return { resultText, offHostRequests, cspViolations, pageErrors, screenshot };
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

export interface DocsBrowse {
  /** The documentation explorer's text after each click of `links` (the first: before any). */
  pages: string[];
  /** Every answer of POST /graphql the page received (its introspection included), parsed. */
  answers: { errors?: unknown[] }[];
  pageErrors: string[];
}

/**
 * Opens GraphiQL's documentation explorer ("Show Documentation Explorer") and
 * follows `links`, clicking the link with each text in turn (e.g. Query, then
 * Subject), as a developer browsing the schema would.
 */
export async function browseDocsInPlayground(url: string, links: string[], options: { timeoutMs?: number } = {}): Promise<DocsBrowse> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  }
  const timeout = options.timeoutMs ?? 20_000;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 800 }, timeout });
  const answers: { errors?: unknown[] }[] = [];
  const pageErrors: string[] = [];
  try {
    context.setDefaultTimeout(timeout);
    context.on('weberror', (error) => pageErrors.push(error.error().message));
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('response', (response) => {
      if (response.request().method() !== 'POST' || !response.url().endsWith('/graphql')) return;
      void response.json().then(
        (body: { errors?: unknown[] }) => answers.push(body),
        () => answers.push({ errors: ['not JSON'] }),
      );
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.click('button[aria-label="Show Documentation Explorer"]');
    const explorer = page.locator('.graphiql-doc-explorer');
    await explorer.waitFor();
    const pages: string[] = [];
    // The schema arrives by introspection after the page loaded: wait for the root types to be listed.
    await page.waitForFunction(() => /query/i.test(document.querySelector('.graphiql-doc-explorer-content')?.textContent ?? '') && !!document.querySelector('.graphiql-doc-explorer-content a'));
    pages.push(await explorer.innerText());
    for (const name of links) {
      await explorer.locator('a', { hasText: new RegExp(`^${name}$`) }).first().click();
      await page.waitForFunction((title) => document.querySelector('.graphiql-doc-explorer-title')?.textContent?.trim() === title, name);
      pages.push(await explorer.innerText());
    }
    return { pages, answers, pageErrors };
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}
