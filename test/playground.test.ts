import zlib from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { buildSchema, graphql } from 'graphql';
import { PLAYGROUND_ASSETS, PLAYGROUND_ASSET_PREFIX, playgroundPlugin } from '../gateway/playground';
import { isOffHost, runQueryInPlayground } from './helpers/browser';

// A hostile-looking default query: it must stay data inside the page, never end the config <script>.
const DEFAULT_QUERY = '# </script><script>alert(1)</script>\nquery { subject(code: "91110105MA00000000") { code name } }';

/** The plugin plus the smallest GraphQL endpoint that can show which headers the browser sent. */
async function buildApp(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(playgroundPlugin, { endpoint: '/graphql', title: 'credit-graph <test>', defaultQuery: DEFAULT_QUERY });
  const schema = buildSchema('type Query { hello: String  header(name: String!): String }');
  const rootValue = {
    hello: () => 'world',
    header: ({ name }: { name: string }, request: FastifyRequest) => request.headers[name.toLowerCase()] ?? null,
  };
  app.post('/graphql', async (request) => {
    const body = request.body as { query: string; variables?: Record<string, unknown>; operationName?: string };
    return graphql({
      schema,
      source: body.query,
      rootValue,
      contextValue: request,
      variableValues: body.variables,
      operationName: body.operationName,
    });
  });
  await app.ready();
  return app;
}

describe('playground (in-process)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves a page that references nothing outside this origin', async () => {
    const response = await app.inject({ method: 'GET', url: '/graphql' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*\/\//i); // protocol-relative
    expect(html).toContain('<title>credit-graph &#60;test&#62;</title>');

    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(6);
    const routes = new Set(PLAYGROUND_ASSETS.map((a) => a.route));
    for (const ref of refs) {
      if (ref.startsWith('data:')) continue;
      const resolved = new URL(ref, 'http://gateway.test/graphql');
      expect(resolved.origin).toBe('http://gateway.test');
      expect(routes).toContain(resolved.pathname);
    }
    // Every asset is actually used by the page, so none of the allow-list is dead weight.
    for (const route of routes) expect(refs.some((ref) => new URL(ref, 'http://gateway.test/graphql').pathname === route)).toBe(true);

    // The browser enforces the same rule: scripts and XHR only to this origin.
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'none'");
  });

  it('embeds the default query as inert JSON', async () => {
    const html = (await app.inject({ method: 'GET', url: '/graphql' })).body;
    expect(html.match(/<script/g)).toHaveLength(5); // config + four external scripts, nothing smuggled in
    const config = /<script id="playground-config" type="application\/json">(.*?)<\/script>/s.exec(html);
    expect(JSON.parse(config![1]!).defaultQuery).toBe(DEFAULT_QUERY);
  });

  it.each(PLAYGROUND_ASSETS.map((a) => [a.route, a.contentType]))('serves %s as %s, cacheable', async (route, contentType) => {
    const plain = await app.inject({ method: 'GET', url: route });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toBe(contentType);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(0);
    const etag = String(plain.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);

    const gzipped = await app.inject({ method: 'GET', url: route, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzipped.rawPayload).equals(plain.rawPayload)).toBe(true);

    const revalidated = await app.inject({ method: 'GET', url: route, headers: { 'if-none-match': etag } });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.rawPayload.length).toBe(0);
  });

  it('answers 404 for anything outside the allow-list', async () => {
    for (const url of [
      `${PLAYGROUND_ASSET_PREFIX}/unknown.js`,
      `${PLAYGROUND_ASSET_PREFIX}/graphiql.min.js.map`,
      `${PLAYGROUND_ASSET_PREFIX}/../../package.json`,
      `${PLAYGROUND_ASSET_PREFIX}/%2e%2e/%2e%2e/package.json`,
      `${PLAYGROUND_ASSET_PREFIX}/..%2f..%2fpackage.json`,
      `${PLAYGROUND_ASSET_PREFIX}/`,
      `${PLAYGROUND_ASSET_PREFIX}/react/package.json`,
    ]) {
      const response = await app.inject({ method: 'GET', url });
      expect({ url, status: response.statusCode }).toEqual({ url, status: 404 });
    }
  });

  it('ships a GraphiQL stylesheet whose fonts and images are inlined, not fetched', async () => {
    const css = (await app.inject({ method: 'GET', url: `${PLAYGROUND_ASSET_PREFIX}/graphiql.min.css` })).body;
    const urls = [...css.matchAll(/url\(\s*["']?([^"')]*)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => !u.startsWith('data:'))).toEqual([]);
    expect(css).not.toMatch(/@import/);
  });
});

describe('isOffHost', () => {
  it('tells loopback and the page host from everything else', () => {
    expect(isOffHost('http://127.0.0.1:4000/graphql', '127.0.0.1')).toBe(false);
    expect(isOffHost('http://localhost/x', '127.0.0.1')).toBe(false);
    expect(isOffHost('http://gateway:4000/x', 'gateway')).toBe(false);
    expect(isOffHost('data:font/woff2;base64,AAAA', '127.0.0.1')).toBe(false);
    expect(isOffHost('https://fonts.googleapis.com/css', '127.0.0.1')).toBe(true);
    expect(isOffHost('https://unpkg.com/graphiql', 'localhost')).toBe(true);
  });
});

describe('playground (headless Chromium)', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await buildApp();
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    url = `${address}/graphql`;
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs a query with headers and variables typed into their panes, and nothing leaves the host', async () => {
    const run = await runQueryInPlayground(
      url,
      'query Probe($purposeHeader: String!) { hello apiKey: header(name: "x-api-key") purpose: header(name: $purposeHeader) }',
      { 'X-Api-Key': 'test-key-123', 'X-Purpose': 'licence 2025-0042' },
      { variables: '{ "purposeHeader": "x-purpose" }', screenshotPath: '/tmp/playground.png' },
    );
    expect(JSON.parse(run.resultText)).toEqual({
      data: { hello: 'world', apiKey: 'test-key-123', purpose: 'licence 2025-0042' },
    });
    expect(run.offHostRequests).toEqual([]);
    expect(run.cspViolations).toEqual([]);
    expect(run.pageErrors).toEqual([]);
    expect(run.screenshot!.length).toBeGreaterThan(10_000);
  }, 30_000);
});
