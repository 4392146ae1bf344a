/** Metrics: latency of every request that reaches a subgraph, and failures by reason (timeout, refused, HTTP status). */
import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '../../lib/metrics';
import type { SubgraphLink } from './chain';

export interface SubgraphMetrics {
  duration: Histogram<'subgraph'>;
  failures: Counter<'subgraph' | 'reason'>;
}

export function createSubgraphMetrics(registry: Registry): SubgraphMetrics {
  return {
    duration: new Histogram({
      name: 'subgraph_request_duration_seconds',
      help: 'Latency of gateway requests to each subgraph',
      labelNames: ['subgraph'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    failures: new Counter({
      name: 'subgraph_failures_total',
      help: 'Subgraph requests that got no usable answer (timeout, refused, HTTP error)',
      labelNames: ['subgraph', 'reason'],
      registers: [registry],
    }),
  };
}

/** Why a fetch failed, as a metric label and in DEPARTMENT_UNAVAILABLE's `reason`. */
export function failureReason(error: unknown): string {
  const { name, code, cause } = (error ?? {}) as { name?: string; code?: string; cause?: { code?: string; name?: string } };
  if (name === 'TimeoutError' || cause?.name === 'TimeoutError') return 'timeout';
  // undici's request names a socket's failure on the error itself (ECONNREFUSED), an HTTP status in the cause.
  if (cause?.code) return cause.code.toLowerCase();
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code.toLowerCase();
  return 'error';
}

export function metricsLink(metrics: SubgraphMetrics): SubgraphLink {
  return {
    name: 'metrics',
    async fetch(call, next) {
      const stopTimer = metrics.duration.startTimer({ subgraph: call.subgraph });
      try {
        return await next(call);
      } catch (error) {
        metrics.failures.inc({ subgraph: call.subgraph, reason: failureReason(error) });
        throw error;
      } finally {
        stopTimer();
      }
    },
  };
}
