/**
 * The benchmark's ceiling: a bare Node `http.createServer` that reads the
 * request and answers with bytes captured from a real gateway answer, so the
 * load generator, the loopback and Node's HTTP stack are all it measures.
 *
 *   node --import tsx scripts/bench/bare-server.ts --port N --bodies FILE
 *
 * FILE is JSON `{ "<case>": "<response body>" }`; the request header
 * `x-bench-case` picks the body. `GET /readyz` answers 200.
 */
import fs from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string' }, bodies: { type: 'string' } } });
if (!values.port || !values.bodies) {
  console.error('usage: bare-server.ts --port N --bodies FILE');
  process.exit(2);
}
const bodies = new Map(
  Object.entries(JSON.parse(fs.readFileSync(values.bodies, 'utf8')) as Record<string, string>).map(([name, body]) => [name, Buffer.from(body)]),
);
const notFound = Buffer.from('{"errors":[{"message":"unknown x-bench-case"}]}');

const server = http.createServer((request, response) => {
  request.resume(); // read the request body as any server would, and drop it
  request.on('end', () => {
    if (request.method === 'GET' && request.url === '/readyz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ready');
      return;
    }
    const body = bodies.get(String(request.headers['x-bench-case'])) ?? notFound;
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), '127.0.0.1', () => console.log(`bare server listening on ${values.port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
