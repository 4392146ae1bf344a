/**
 * The public credit website and the credit office's console: one Fastify app of server-rendered
 * pages that reads the graph only through the gateway's public API (web/graph.ts). Every asset
 * (stylesheet, script, the Chinese web font) is served from this repository and node_modules, so
 * the site works on a network without internet; the Content-Security-Policy allows nothing else.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { createHttpServer } from '../lib/http';
import type { Logger } from '../lib/logger';
import { ROOT_DIR } from '../lib/config';
import type { Locale } from '../lib/credit-report';
import { CHINESE_FONT_PATH } from '../lib/fonts';
import { errorWith, graphClient, type Credential, type GraphRequest } from './graph';
import { SessionStore, cookies, saveCheck, type Session } from './session';
import type { PageContext } from './pages/context';
import { homePage, listsPage, publicityPage, reportPdf, reportRefusalPage, searchPage, subjectPage, verifyFile, verifyPage } from './pages/public';
import { PerAddressLimit } from './address-limit';
import { notice } from './html';
import { followFiling, selfServicePage, submitFiling } from './pages/self-service';
import { deskAction, deskPage } from './pages/desk';
import { commitmentsPage, conductReportsPage, followConductReport, inspectionsPage, submitConductReport } from './pages/supervision';
import { firstValues, parseFormFields } from './form';
import { BAD_KEY, cataloguePage, dashboardPage, loginOutcome, loginPage, lookupPage, publishListEntry, publishPage, type ConsoleContext } from './pages/console';
import { checkPage, runBidderCheck } from './pages/bidder-check';
import { errorPage, invalidFilterPage, notFoundPage } from './pages/errors';
import { InvalidFilter } from './filters';
import { toCsv, toXlsx } from './spreadsheet';
import { parseMultipart } from './multipart';
import { t } from './i18n';

/** The graph's reasons for a page cursor it cannot read. */
const CURSOR_REASONS = new Set(['CURSOR', 'INVALID_CURSOR']);

export interface WebOptions {
  gatewayUrl: string;
  logger: Logger;
  /** PROXY_SECRET, shared with the gateway: with it each visitor is rate limited and audited by its own address. */
  proxySecret?: string;
  /** WEB_REPORTS_PER_MINUTE (default 10): credit reports one visitor address may have issued per minute. */
  reportsPerMinute?: number;
  /** WEB_SECURE_COOKIES (default auto): when the console's cookie is marked Secure. */
  secureCookies?: 'auto' | 'always';
}

// From the repository root: this file also runs as built JavaScript (scripts/build.ts).
const ASSETS_DIR = path.join(ROOT_DIR, 'web', 'assets');

const ASSETS: Record<string, { file: string; type: string }> = {
  'site.css': { file: path.join(ASSETS_DIR, 'site.css'), type: 'text/css; charset=utf-8' },
  'site.js': { file: path.join(ASSETS_DIR, 'site.js'), type: 'text/javascript; charset=utf-8' },
  'source-han-sans-cn.woff2': { file: CHINESE_FONT_PATH, type: 'font/woff2' },
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

function localeOf(request: FastifyRequest, reply: FastifyReply): Locale {
  const asked = firstValues(request.query as Record<string, string | string[] | undefined>).lang;
  if (asked === 'zh' || asked === 'en') {
    reply.header('set-cookie', `lang=${asked}; Path=/; SameSite=Lax; Max-Age=31536000`);
    return asked;
  }
  return cookies(request).lang === 'en' ? 'en' : 'zh';
}

/**
 * Whether a POST comes from this site's own pages: browsers send Origin on every form post
 * (Referer where an old one does not); a request with neither is no browser's form.
 */
function sameOrigin(request: FastifyRequest): boolean {
  const claimed = request.headers.origin ?? request.headers.referer;
  if (claimed === undefined) return true;
  try {
    return new URL(claimed).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * A request Node could not parse (headers over its limit: a /search URL of many kilobytes is 431)
 * never reaches a route: the site's own Chinese page instead of Node's JSON, on a closing connection.
 */
function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const body = errorPage({ locale: 'zh', url: '/' }, status);
  const headers = { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`);
}

export async function buildWebApp(options: WebOptions) {
  const app = createHttpServer(options.logger, { bodyLimit: 10 * 1024 * 1024, clientErrorHandler: clientError });
  const sessions = new SessionStore(Date.now, options.secureCookies);
  const reportLimit = new PerAddressLimit(options.reportsPerMinute ?? 10);
  const assets = Object.fromEntries(Object.entries(ASSETS).map(([name, asset]) => [name, { ...asset, body: fs.readFileSync(asset.file) }]));

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseFormFields(body as string));
  });
  // The verification page's file: a plain form post (web/multipart.ts reads it in the route, which knows the boundary).
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
  });
  // Cross-site request forgery: a form posted from any other origin (another port of this host
  // counts: SameSite cookies do not stop it) acts with a clerk's session, so a POST whose
  // browser says it comes from elsewhere is refused before any handler runs.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST') return;
    if (!sameOrigin(request)) return reply.code(403).type('text/plain; charset=utf-8').send('cross-origin form posts are refused');
  });

  // The requests the gateway told to slow down: their page says so, and is answered 429, not 200;
  // a page asked with a cursor the graph refused (an edited ?after=) is the visitor's error, 400.
  const rateLimited = new WeakSet<FastifyRequest>();
  const badCursor = new WeakSet<FastifyRequest>();
  const noticingRateLimits = (graph: GraphRequest, request: FastifyRequest): GraphRequest => async <T>(query: string, variables?: Record<string, unknown>, credential?: Credential | null) => {
    const result = await graph<T>(query, variables, credential);
    if (result.status === 429 || errorWith(result, 'RATE_LIMITED')) rateLimited.add(request);
    if (result.errors.some((e) => CURSOR_REASONS.has(String(e.extensions?.reason)))) badCursor.add(request);
    return result;
  };
  const context = (request: FastifyRequest, reply: FastifyReply): PageContext => ({
    locale: localeOf(request, reply),
    url: request.url,
    graph: noticingRateLimits(graphClient(options.gatewayUrl, {
      requestId: String(request.id),
      visitor: options.proxySecret ? { address: request.ip, proxySecret: options.proxySecret } : undefined,
    }), request),
    query: firstValues(request.query as Record<string, string | string[] | undefined>),
  });
  const pageStatus = (request: FastifyRequest, status: number) =>
    status !== 200 ? status : rateLimited.has(request) ? 429 : badCursor.has(request) ? 400 : 200;
  const sendPage = (reply: FastifyReply, body: string, status = 200) =>
    reply.code(pageStatus(reply.request, status)).type('text/html; charset=utf-8').send(body);

  app.setNotFoundHandler(async (request, reply) => sendPage(reply, notFoundPage(context(request, reply)), 404));
  // A filter a page cannot use is the visitor's error, said in words; so is a post too big or of a
  // kind no form sends (Fastify's JSON, in English, reached visitors): every error is a page of the site.
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error instanceof InvalidFilter) return sendPage(reply, invalidFilterPage(context(request, reply), error), 400);
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'web request failed');
    return sendPage(reply, errorPage(context(request, reply), status), status);
  });

  /** A console route: its handler runs with the session's credential, or the visitor is sent to log in. */
  const consoleRoute =
    <R extends FastifyRequest>(handler: (ctx: ConsoleContext, request: R, reply: FastifyReply, session: Session) => Promise<unknown>) =>
    async (request: R, reply: FastifyReply) => {
      const session = sessions.get(request);
      if (!session) return reply.redirect('/console/login', 303);
      return handler({ ...context(request, reply), credential: session.credential }, request, reply, session);
    };

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    try {
      const result = await graphClient(options.gatewayUrl)('{ __typename }');
      return reply.code(result.status === 200 ? 200 : 503).send({ ok: result.status === 200, gateway: result.status });
    } catch (error) {
      return reply.code(503).send({ ok: false, gateway: (error as Error).message });
    }
  });
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets[request.params.name];
    if (!asset) return reply.code(404).send('not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=86400').send(asset.body);
  });

  app.get('/', async (request, reply) => sendPage(reply, homePage(context(request, reply))));
  app.get('/search', async (request, reply) => {
    const outcome = await searchPage(context(request, reply));
    return typeof outcome === 'string' ? sendPage(reply, outcome) : reply.redirect(outcome.redirect, 303);
  });
  app.get<{ Params: { code: string } }>('/subject/:code', async (request, reply) => sendPage(reply, await subjectPage(context(request, reply), request.params.code)));
  // A HEAD must not issue a report (Fastify would run the GET handler for it: render, register, and drop the body).
  app.head('/subject/:code/report.pdf', async (_request, reply) => reply.code(405).header('allow', 'GET').send());
  app.get<{ Params: { code: string } }>('/subject/:code/report.pdf', { exposeHeadRoute: false }, async (request, reply) => {
    // Each report is rendered and registered by the credit office: a visitor may have only so many a minute.
    const allowed = reportLimit.take(request.ip);
    if (!allowed.ok) {
      const ctx = context(request, reply);
      const refused = reportRefusalPage(ctx, request.params.code, 429, notice('error', t(ctx.locale, 'reportLimited', { n: reportLimit.perMinute })));
      return sendPage(reply.header('retry-after', String(allowed.retryAfterSeconds)), refused.page, refused.status);
    }
    const report = await reportPdf(context(request, reply), request.params.code);
    if ('page' in report) return sendPage(report.retryAfter ? reply.header('retry-after', String(report.retryAfter)) : reply, report.page, report.status);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="credit-report-${report.number}.pdf"`)
      .header('cache-control', 'no-store')
      .send(report.pdf);
  });
  app.get('/lists', async (request, reply) => sendPage(reply, await listsPage(context(request, reply))));
  app.get('/publicity', async (request, reply) => sendPage(reply, await publicityPage(context(request, reply))));
  app.get('/verify', async (request, reply) => {
    const number = firstValues(request.query as Record<string, string | string[] | undefined>).number?.trim();
    return number ? reply.redirect(`/verify/${encodeURIComponent(number)}`, 303) : sendPage(reply, await verifyPage(context(request, reply), null));
  });
  app.get<{ Params: { number: string } }>('/verify/:number', async (request, reply) => sendPage(reply, await verifyPage(context(request, reply), request.params.number)));
  app.post<{ Params: { number: string } }>('/verify/:number/file', async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) return sendPage(reply, errorPage(context(request, reply), 415), 415); // the site's own page, as every refusal
    const parts = parseMultipart(request.body, request.headers['content-type'] ?? '');
    const outcome = await verifyFile(context(request, reply), request.params.number, parts?.find((part) => part.name === 'report')?.data ?? null);
    return sendPage(reply, outcome.body, outcome.status);
  });
  // The page a file check answers has this address: its language switch comes back here.
  app.get<{ Params: { number: string } }>('/verify/:number/file', async (request, reply) =>
    reply.redirect(`/verify/${encodeURIComponent(request.params.number)}${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`, 303));
  app.get('/self-service', async (request, reply) => sendPage(reply, selfServicePage(context(request, reply))));
  for (const kind of ['objection', 'repair'] as const) {
    app.post<{ Body: Record<string, string | string[]> }>(`/self-service/${kind}`, async (request, reply) => {
      const outcome = await submitFiling(context(request, reply), kind, request.body ?? {});
      return sendPage(reply, outcome.body, outcome.status);
    });
  }
  app.post<{ Body: Record<string, string | string[]> }>('/self-service/follow', async (request, reply) => {
    const outcome = await followFiling(context(request, reply), request.body ?? {});
    return sendPage(reply, outcome.body, outcome.status);
  });

  app.get('/conduct-reports', async (request, reply) => sendPage(reply, conductReportsPage(context(request, reply))));
  app.post<{ Body: Record<string, string | string[]> }>('/conduct-reports', async (request, reply) => {
    const outcome = await submitConductReport(context(request, reply), request.body ?? {});
    return sendPage(reply, outcome.body, outcome.status);
  });
  // By POST: a receipt code in a URL would sit in the browser's history and in logs.
  app.post<{ Body: Record<string, string | string[]> }>('/conduct-reports/follow', async (request, reply) => {
    const outcome = await followConductReport(context(request, reply), request.body ?? {});
    return sendPage(reply, outcome.body, outcome.status);
  });
  app.get('/commitments', async (request, reply) => sendPage(reply, await commitmentsPage(context(request, reply))));
  app.get('/inspections', async (request, reply) => sendPage(reply, await inspectionsPage(context(request, reply))));

  // --- The console ---
  app.get('/console/login', async (request, reply) => sendPage(reply, loginPage(context(request, reply), null)));
  app.post<{ Body: Record<string, string> }>('/console/login', async (request, reply) => {
    const ctx = context(request, reply);
    const credential: Credential = { apiKey: (request.body.apiKey ?? '').trim(), purpose: (request.body.purpose ?? '').trim() };
    const outcome = credential.apiKey ? await loginOutcome(ctx.graph, credential) : BAD_KEY;
    if (outcome !== 'ok') return sendPage(reply, loginPage(ctx, outcome, credential.purpose), outcome.status);
    sessions.open(reply, credential);
    return reply.redirect('/console', 303);
  });
  app.post('/console/logout', async (request, reply) => {
    sessions.close(request, reply);
    return reply.redirect('/console/login', 303);
  });
  type FormRequest = FastifyRequest<{ Body: Record<string, string> }>;
  app.get('/console', consoleRoute(async (ctx, _request, reply) => sendPage(reply, await dashboardPage(ctx))));
  app.get('/console/check', consoleRoute(async (ctx, _request, reply) =>
    sendPage(reply, checkPage(ctx, { codes: '', scenario: 'PUBLIC_RESOURCE_TRADING', purpose: ctx.credential.purpose }))));
  // 1,000 lines of 200 characters, each Chinese character nine bytes form-encoded: a bigger post is no bidder list.
  app.post('/console/check', { bodyLimit: 2 * 1024 * 1024 }, consoleRoute(async (ctx, request: FormRequest, reply, session) => {
    const input = { codes: request.body.codes ?? '', scenario: request.body.scenario ?? '', purpose: request.body.purpose ?? '' };
    const outcome = await runBidderCheck(ctx, input);
    // Each check is kept under an id of its own, which its download links name.
    const id = outcome.result ? saveCheck(session, outcome.result.sheet) : null;
    return sendPage(reply, checkPage(ctx, { ...input, outcome, id }));
  }));
  // A check's downloads: only this session's checks; any other id (another session's too) is no page.
  app.get('/console/check/:file', consoleRoute(async (ctx, request: FastifyRequest<{ Params: { file: string } }>, reply, session) => {
    const [, id, format] = /^([A-Za-z0-9_-]{1,64})\.(csv|xlsx)$/.exec(request.params.file) ?? [];
    const check = id ? session.checks.get(id) : undefined;
    if (!check) return sendPage(reply, notFoundPage(ctx), 404);
    reply.header('content-disposition', `attachment; filename="bidder-check-${id}.${format}"`).header('cache-control', 'no-store');
    if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(check));
    return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(check, t(ctx.locale, 'checkTitle')));
  }));
  app.get('/console/lists', consoleRoute(async (ctx, _request, reply) => sendPage(reply, publishPage(ctx, null))));
  for (const [url, end] of [['/console/lists', false], ['/console/lists/end', true]] as const) {
    app.post(url, consoleRoute(async (ctx, request: FormRequest, reply) => sendPage(reply, publishPage(ctx, await publishListEntry(ctx, request.body, end)))));
  }
  app.get('/console/catalogue', consoleRoute(async (ctx, _request, reply) => sendPage(reply, await cataloguePage(ctx))));
  app.get('/console/lookup', consoleRoute(async (ctx, _request, reply) => sendPage(reply, await lookupPage(ctx))));
  app.get('/console/desk', consoleRoute(async (ctx, _request, reply) => sendPage(reply, await deskPage(ctx))));
  for (const action of ['filing-code', 'objection', 'repair'] as const) {
    app.post(`/console/desk/${action}`, consoleRoute(async (ctx, request: FormRequest, reply) => sendPage(reply, await deskPage(ctx, await deskAction(ctx, action, request.body)))));
  }

  return app;
}
