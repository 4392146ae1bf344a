/**
 * Gateway process: `tsx gateway/main.ts [--supergraph FILE] [--port N] [--subgraph name=url ...]`.
 * Any supergraph file can be served; subgraph URLs come from the file unless overridden.
 */
import closeWithGrace from 'close-with-grace';
import { gatewayConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { buildGatewayServer } from './server';

async function main(): Promise<void> {
  const config = gatewayConfig(process.env, process.argv.slice(2));
  const logger = createLogger('gateway', config.logLevel);
  const server = await buildGatewayServer(config, logger);
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an error');
    else logger.info({ signal }, 'draining requests and stopping');
    await server.close();
  });
  await server.app.listen({ host: config.host, port: config.port });
  logger.info(
    { url: `http://${config.host}:${config.port}/graphql`, supergraph: config.supergraphPath, subgraphs: server.subgraphUrls, ...server.capabilities },
    `gateway listening on http://${config.host}:${config.port}/graphql`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
