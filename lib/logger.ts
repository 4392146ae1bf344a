/** Structured JSON logs (pino), one logger per process, named after the service. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name: service, level, base: { service, pid: process.pid } });
}

/** Header carrying the request id from the gateway to the subgraphs. */
export const REQUEST_ID_HEADER = 'x-request-id';
