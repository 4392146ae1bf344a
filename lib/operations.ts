/**
 * Fastify plugin for what every service exposes to operators: `/healthz`
 * (process alive), `/readyz` (dependencies reachable), `/metrics`
 * (Prometheus), request ids taken from or given to `x-request-id`, and an
 * HTTP request counter.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from './metrics';

export interface ReadinessCheck {
  /** Resolves with details when ready; rejects (or returns ready: false) otherwise. */
  (): Promise<{ ready: boolean; details?: Record<string, unknown> }>;
}

export interface OperationsOptions {
  metrics: ServiceMetrics;
  readiness: ReadinessCheck;
}

export const operationsPlugin = fp<OperationsOptions>(
  async (app: FastifyInstance, { metrics, readiness }) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpRequests.inc({
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      });
    });

    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_request, reply) => {
      try {
        const { ready, details } = await readiness();
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...details });
      } catch (error) {
        return reply.code(503).send({ status: 'not ready', error: (error as Error).message });
      }
    });

    app.get('/metrics', async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  },
  { name: 'credit-graph-operations' },
);
