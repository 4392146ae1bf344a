/**
 * The Fastify instance every service starts from: the process logger, request
 * ids taken from `x-request-id` (so a gateway request and its subgraph calls
 * share one id in the logs), and no per-request info lines on the hot path.
 */
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { REQUEST_ID_HEADER, type Logger } from './logger';

export function createHttpServer(logger: Logger, options: { bodyLimit?: number } = {}) {
  return Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    requestIdHeader: REQUEST_ID_HEADER,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
  });
}
