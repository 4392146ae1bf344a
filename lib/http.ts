/**
 * The Fastify instance every service starts from: the process logger, request
 * ids taken from `x-request-id` (so a gateway request and its subgraph calls
 * share one id in the logs), and no per-request info lines on the hot path.
 * The gateway, which faces clients, makes its own ids instead
 * (`ownRequestIds`): a client's id is a claim, not an identifier. A request
 * Node cannot parse (headers too large) is answered by `clientErrorHandler`
 * when given (the website answers it with a page of its own).
 */
import crypto from 'node:crypto';
import type { Socket } from 'node:net';
import Fastify, { LogController, type FastifyBaseLogger } from 'fastify';
import { REQUEST_ID_HEADER, type Logger } from './logger';

export function createHttpServer(
  logger: Logger,
  options: { bodyLimit?: number; ownRequestIds?: boolean; clientErrorHandler?: (error: Error & { code?: string }, socket: Socket) => void } = {},
) {
  return Fastify({
    ...(options.clientErrorHandler ? { clientErrorHandler: options.clientErrorHandler } : {}),
    loggerInstance: logger as FastifyBaseLogger,
    ...(options.ownRequestIds ? { requestIdHeader: false, genReqId: () => crypto.randomUUID() } : { requestIdHeader: REQUEST_ID_HEADER }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? 4 * 1024 * 1024,
  });
}

/**
 * Stops accepting connections and waits for in-flight requests to finish.
 * Node closes the keep-alive connections that are idle when closing starts,
 * but one that turns idle afterwards (its last response just sent) would hold
 * the server open until its keep-alive timeout; sweeping idle connections
 * while the close is pending ends each as soon as its request is done.
 */
export async function closeGracefully(app: { close(): Promise<unknown>; server: { closeIdleConnections(): void } }): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await app.close();
  } finally {
    clearInterval(sweep);
  }
}
