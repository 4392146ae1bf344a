/** Metrics: operation count and latency by operation name, errors answered by `extensions.code` (after masking). */
import { operationLabel, type ServiceMetrics } from '../../lib/metrics';
import type { GatewayPlugin } from '../pipeline';

export function metricsPlugin(options: { metrics: ServiceMetrics }): GatewayPlugin {
  const { metrics } = options;
  return {
    name: 'metrics',
    onEnd(request) {
      const operation = operationLabel(request.operationName ?? request.operation?.name?.value, request.caller.clientId === null);
      metrics.operations.inc({ operation });
      metrics.operationDuration.observe({ operation }, Number(process.hrtime.bigint() - request.startedAt) / 1e9);
      for (const error of request.result?.errors ?? []) {
        metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
      }
    },
  };
}
