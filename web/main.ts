/**
 * The website process: `node --import tsx web/main.ts`. Reads WEB_PORT, WEB_GATEWAY_URL, HOST,
 * PROXY_SECRET, WEB_REPORTS_PER_MINUTE, WEB_SECURE_COOKIES and LOG_LEVEL (lib/config.ts webConfig); needs nothing but a reachable gateway.
 */
import closeWithGrace from 'close-with-grace';
import { webConfig } from '../lib/config';
import { createLogger } from '../lib/logger';
import { closeGracefully } from '../lib/http';
import { buildWebApp } from './app';

async function main(): Promise<void> {
  const config = webConfig();
  const logger = createLogger('web', config.logLevel);
  const app = await buildWebApp({
    gatewayUrl: config.gatewayUrl, logger, proxySecret: config.proxySecret, reportsPerMinute: config.reportsPerMinute, secureCookies: config.secureCookies,
  });
  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an error');
    else logger.info({ signal }, 'draining requests and stopping');
    await closeGracefully(app);
  });
  await app.listen({ host: config.host, port: config.port });
  logger.info({ port: config.port, gateway: config.gatewayUrl }, 'credit website listening');
}

void main();
