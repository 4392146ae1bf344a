/**
 * The website asks the gateway for every visitor, so it names each visitor's address (with the
 * proxy secret): one visitor who exhausts PUBLIC's rate limit does not lock out the others, and
 * nobody else can pick their own address by sending X-Forwarded-For.
 * Visitors are distinct loopback addresses (127.x.y.z all reach this host on Linux), drawn per
 * run so the limiter's counts in Redis from an earlier run do not matter.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { startTestGraph, type TestGraph } from '../helpers/graph';
import { freePorts } from '../helpers/ports';
import { startWebProcess, type WebProcess } from '../helpers/web';

const RATE = 5;
const PROXY_SECRET = crypto.randomBytes(32).toString('base64url');
const address = () => `127.${crypto.randomInt(1, 255)}.${crypto.randomInt(1, 255)}.${crypto.randomInt(2, 255)}`;

/** GET a page of the website from a given local address. */
function visit(url: string, from: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress: from, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}

describe('each visitor of the website under its own address', () => {
  let graph: TestGraph;
  let web: WebProcess;

  beforeAll(async () => {
    const [webPort] = await freePorts(1);
    graph = await startTestGraph({ subjects: 50, env: { RATE_LIMIT_PER_MINUTE: String(RATE), PROXY_SECRET } });
    web = await startWebProcess({ gatewayUrl: `${graph.url}/graphql`, port: webPort!, logFile: path.join(graph.logDir, 'web.log'), proxySecret: PROXY_SECRET });
  }, 180_000);
  afterAll(async () => {
    await web?.stop();
    await graph?.close();
  });

  it('limits the visitor who floods, not the next one', async () => {
    const page = `${web.url}/lists?kind=BLACK`; // one gateway request per page
    const flooder = address();
    const pages = [];
    for (let i = 0; i < RATE + 1; i++) pages.push(await visit(page, flooder));
    expect(pages.slice(0, RATE).every((p) => p.status === 200 && !p.body.includes('请求过于频繁'))).toBe(true);
    expect(pages[RATE]!.body).toContain('请求过于频繁');
    const neighbour = await visit(page, address());
    expect(neighbour.status).toBe(200);
    expect(neighbour.body).not.toContain('请求过于频繁');
    expect(neighbour.body).toContain('<table class="results"');
  });

  it('does not let a client of the gateway pick its own address with X-Forwarded-For', async () => {
    const query = JSON.stringify({ query: '{ __typename }' });
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 1; i++) {
      const response = await new Promise<number>((resolve, reject) => {
        const request = http.request(`${graph.url}/graphql`, {
          method: 'POST',
          localAddress: '127.0.0.1',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': address(), 'x-credit-graph-proxy': 'guessed' },
          agent: false,
        }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
        request.on('error', reject);
        request.end(query);
      });
      statuses.push(response);
    }
    // Every request counted under 127.0.0.1, whatever it named: the limit is reached.
    expect(statuses).toContain(429);
  });
});
