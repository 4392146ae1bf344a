/**
 * The offline playground: a browser's `GET <endpoint>` (no `query`
 * parameter, HTML accepted) answers a GraphiQL 3 page whose every script,
 * style and font comes from this process; any other GET of the endpoint is
 * GraphQL over HTTP and goes to `graphqlGet`. Where the playground is not
 * served (`unavailable`, production) a browser gets a page saying so and how
 * to call the endpoint. Government networks
 * have no internet, so the CDN-based landing pages of Apollo Server and
 * Mercurius are unusable there.
 *
 * GraphiQL 3.9 is the last line that ships prebuilt UMD bundles (4 and 5 are
 * ESM-only and need a bundler); with React 18's UMD bundles it runs from plain
 * `<script>` tags. Its CSS inlines its fonts as `data:` URLs, so nothing is
 * fetched off-host. The page's own bootstrap is a served file rather than an
 * inline script so that the CSP can say `script-src 'self'`, which is also
 * what makes "nothing leaves the host" enforced by the browser rather than
 * merely true today.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface PlaygroundOptions {
  /** Where GraphQL is POSTed; the page is served with GET on the same path. */
  endpoint: string;
  title?: string;
  /** Shown in the first tab on a browser's first visit (GraphiQL keeps the user's tabs afterwards). */
  defaultQuery?: string;
  /** JSON text for the variables pane of that first tab, for a default query that takes variables. */
  defaultVariables?: string;
  /** The endpoint's GETs that are not a browser's page load (GraphQL over HTTP: `?query=...`), with the hook to run after each answer. */
  graphqlGet?: { handler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>; onResponse?: (request: FastifyRequest) => Promise<void> };
  /** Set where the playground is not served: the text a browser's page load gets instead (why, and how to call the endpoint). */
  unavailable?: string;
}

/** A browser loading the endpoint as a page: no `query` parameter, and HTML accepted. Anything else is a GraphQL request. */
export function isPageLoad(request: FastifyRequest): boolean {
  const query = request.query as Record<string, unknown> | undefined;
  if (query && query.query !== undefined) return false;
  return /\btext\/html\b/i.test(String(request.headers.accept ?? ''));
}

/** Fixed, not configurable: the routes are an allow-list and tests import them. */
export const PLAYGROUND_ASSET_PREFIX = '/playground/assets';

const JS = 'application/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

interface AssetSource {
  file: string;
  contentType: string;
  load(): Buffer;
}

function fromPackage(pkg: string, relative: string, expectedMajor: number): () => Buffer {
  return () => {
    const manifestPath = require.resolve(`${pkg}/package.json`);
    const version = (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { version: string }).version;
    // A major upgrade would silently drop the UMD bundles this page depends on; fail at start-up instead.
    if (Number(version.split('.')[0]) !== expectedMajor) {
      throw new Error(`playground: ${pkg}@${version} installed, the offline playground needs ${pkg}@${expectedMajor}.x (UMD bundles)`);
    }
    return fs.readFileSync(path.join(path.dirname(manifestPath), relative));
  };
}

// Plain ES2017 for any browser GraphiQL 3 supports; it runs after the three deferred bundles.
const BOOTSTRAP_JS = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  // The page is served at the endpoint itself, so its own path is the endpoint even behind a path-prefixing proxy.
  var url = window.location.pathname;
  function fetcher(params, options) {
    var headers = Object.assign({}, (options && options.headers) || {}, {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json'
    });
    // fetch() refuses header values outside ISO-8859-1 (e.g. Chinese text in X-Purpose) with an opaque TypeError.
    var bad = Object.keys(headers).filter(function (name) { return /[^\\u0000-\\u00ff]/.test(String(headers[name])); });
    if (bad.length > 0) {
      return Promise.resolve({ errors: [{ message: 'Header ' + bad.join(', ') + ': a browser can only send Latin-1 text in an HTTP header; use ASCII (for example the application number without Chinese characters).' }] });
    }
    return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(params), credentials: 'same-origin' })
      .then(function (response) {
        return response.text().then(function (text) {
          try {
            return JSON.parse(text);
          } catch (e) {
            // A proxy or rate limiter may answer in plain text; show it instead of a JSON parse error.
            return { errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 2000) }] };
          }
        });
      });
  }
  function hasSavedTabs() {
    try {
      return window.localStorage.getItem('graphiql:tabState') !== null;
    } catch (e) {
      return false;
    }
  }
  var props = {
    fetcher: fetcher,
    defaultQuery: config.defaultQuery,
    isHeadersEditorEnabled: true,
    // Credentials typed into the headers pane must not outlive the tab on a shared workstation.
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: config.defaultVariables ? 'variables' : 'headers'
  };
  // GraphiQL 3 seeds the variables pane only from the variables prop (defaultTabs' variables are
  // ignored), and that prop would override the user's saved tabs, so pass it on a first visit only.
  if (config.defaultVariables && !hasSavedTabs()) {
    props.variables = config.defaultVariables;
  }
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, props));
})();
`;

const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
`;

const SOURCES: AssetSource[] = [
  { file: 'react.production.min.js', contentType: JS, load: fromPackage('react', 'umd/react.production.min.js', 18) },
  { file: 'react-dom.production.min.js', contentType: JS, load: fromPackage('react-dom', 'umd/react-dom.production.min.js', 18) },
  { file: 'graphiql.min.js', contentType: JS, load: fromPackage('graphiql', 'graphiql.min.js', 3) },
  { file: 'graphiql.min.css', contentType: CSS, load: fromPackage('graphiql', 'graphiql.min.css', 3) },
  { file: 'playground.js', contentType: JS, load: () => Buffer.from(BOOTSTRAP_JS) },
  { file: 'playground.css', contentType: CSS, load: () => Buffer.from(PAGE_CSS) },
];

/** Every asset route the plugin serves, with the content type it answers. */
export const PLAYGROUND_ASSETS: ReadonlyArray<{ route: string; contentType: string }> = SOURCES.map(({ file, contentType }) => ({
  route: `${PLAYGROUND_ASSET_PREFIX}/${file}`,
  contentType,
}));

// The HTML allows exactly what GraphiQL needs: its own scripts, styles (CodeMirror sets inline styles),
// fonts and icons inlined as data: URLs, and XHR to this origin. connect-src 'self' is what stops
// a pasted or persisted query from being sent anywhere else.
const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const gzip = promisify(zlib.gzip);

interface LoadedAsset {
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  /** Content hash used as `?v=` in the page, so `immutable` caching survives package upgrades. */
  version: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside a `<script>` element: `<` escaped so `</script>` or `<!--` in a query cannot end the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function etagMatches(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function renderPlaygroundPage(options: PlaygroundOptions, assetHref: (file: string) => string): string {
  const title = options.title ?? 'GraphQL playground';
  const config = { defaultQuery: options.defaultQuery ?? '', defaultVariables: options.defaultVariables ?? '' };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetHref('graphiql.min.css')}">
<link rel="stylesheet" href="${assetHref('playground.css')}">
<script id="playground-config" type="application/json">${jsonForScript(config)}</script>
<script defer src="${assetHref('react.production.min.js')}"></script>
<script defer src="${assetHref('react-dom.production.min.js')}"></script>
<script defer src="${assetHref('graphiql.min.js')}"></script>
<script defer src="${assetHref('playground.js')}"></script>
</head>
<body>
<div id="graphiql">Loading the playground…</div>
<noscript>The playground needs JavaScript. GraphQL itself is available with POST ${escapeHtml(options.endpoint)}.</noscript>
</body>
</html>
`;
}

/** The page a browser gets where the playground is not served. */
function renderNotice(title: string, text: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body { font: 16px/1.5 system-ui, sans-serif; max-width: 40em; margin: 3em auto; padding: 0 1em; }</style></head>
<body><h1>${escapeHtml(title)}</h1>${text
    .split(/\n\n+/)
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('')}</body>
</html>
`;
}

export const playgroundPlugin = fp<PlaygroundOptions>(
  async (app: FastifyInstance, options: PlaygroundOptions) => {
    const assets = new Map<string, LoadedAsset>();
    // Loaded and compressed once at start-up: ~1.1 MB of JavaScript is ~300 KB gzipped, which matters on slow links.
    await Promise.all(
      SOURCES.map(async (source) => {
        const body = source.load();
        const digest = crypto.createHash('sha256').update(body).digest('base64url');
        assets.set(source.file, {
          contentType: source.contentType,
          body,
          gzipped: await gzip(body, { level: 9 }),
          etag: `"${digest.slice(0, 22)}"`,
          version: digest.slice(0, 12),
        });
      }),
    );

    // Relative, so the page keeps working when a proxy mounts the gateway under a path prefix.
    const endpointDir = path.posix.dirname(options.endpoint);
    const relativePrefix = path.posix.relative(endpointDir, PLAYGROUND_ASSET_PREFIX);
    const page = renderPlaygroundPage(options, (file) => `${relativePrefix}/${file}?v=${assets.get(file)!.version}`);

    const notice = options.unavailable === undefined ? undefined : renderNotice(options.title ?? 'GraphQL', options.unavailable);
    app.get(options.endpoint, { onResponse: options.graphqlGet?.onResponse }, async (request, reply) => {
      if (options.graphqlGet && !isPageLoad(request)) return options.graphqlGet.handler(request, reply);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        // The page is tiny and names the hashed assets; revalidating it is what picks up an upgrade.
        .header('cache-control', 'no-cache')
        .header('content-security-policy', notice ? "default-src 'none'; style-src 'unsafe-inline'" : PAGE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(notice ?? page);
    });

    for (const [file, asset] of assets) {
      app.get(`${PLAYGROUND_ASSET_PREFIX}/${file}`, async (request: FastifyRequest, reply: FastifyReply) => {
        reply
          .header('cache-control', 'public, max-age=31536000, immutable')
          .header('etag', asset.etag)
          .header('vary', 'accept-encoding')
          .header('x-content-type-options', 'nosniff');
        if (etagMatches(request, asset.etag)) {
          return reply.code(304).send();
        }
        reply.header('content-type', asset.contentType);
        if (acceptsGzip(request)) {
          return reply.header('content-encoding', 'gzip').send(asset.gzipped);
        }
        return reply.send(asset.body);
      });
    }
  },
  { name: 'credit-graph-playground', fastify: '5.x' },
);
