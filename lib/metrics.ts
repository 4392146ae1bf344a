/**
 * Prometheus metrics shared by the gateway and the subgraphs. Each process
 * has its own registry so tests can start several services in one process.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  operations: Counter<'operation'>;
  operationDuration: Histogram<'operation'>;
  errors: Counter<'code'>;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    operations: new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations executed, by operation name',
      labelNames: ['operation'],
      registers: [registry],
    }),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency, by operation name',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors returned to callers, by extensions.code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

export { LATENCY_BUCKETS };

/** Most distinct operation names a process labels its metrics with, for anonymous callers and for the others; later ones count as OTHER_OPERATIONS. */
export const MAX_OPERATION_LABELS = 100;
export const OTHER_OPERATIONS = '(other)';
const labelled = { anonymous: new Set<string>(), identified: new Set<string>() };

/**
 * Operation label: the operation name (at most 64 characters), or "anonymous". Clients choose the
 * names, so a process labels at most MAX_OPERATION_LABELS of them, the first it sees, and counts
 * the rest together: 300 requests with random names grew /metrics by 5,000 lines (found by the
 * black-box review). Anonymous callers have a budget of their own, so they cannot use up the
 * registered clients' (the second review filled it with PUBLIC requests).
 */
export function operationLabel(name: string | null | undefined, anonymous = false): string {
  const label = (name || 'anonymous').slice(0, 64);
  const known = anonymous ? labelled.anonymous : labelled.identified;
  if (known.has(label) || labelled.identified.has(label)) return label;
  if (known.size >= MAX_OPERATION_LABELS) return OTHER_OPERATIONS;
  known.add(label);
  return label;
}
