import { startTestGraph } from '/work/wt-16/test/helpers/graph';
import { buildWebApp } from '/work/wt-16/web/app';
import { createLogger } from '/work/wt-16/lib/logger';
import fs from 'node:fs';
(async () => {
  const graph = await startTestGraph({ engine: 'postgres', subjects: 300 });
  const app = await buildWebApp({ gatewayUrl: `${graph.url}/graphql`, logger: createLogger('web', 'warn') });
  await app.listen({ port: 4906, host: '127.0.0.1' });
  fs.writeFileSync('/tmp/web-graph.json', JSON.stringify({ url: graph.url, examples: graph.seeded.examples, credentials: graph.credentials }));
  console.log('READY', graph.url);
  process.on('SIGTERM', async () => { await app.close(); await graph.close(); process.exit(0); });
})();
