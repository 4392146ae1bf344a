/** Apollo Server plugin: operation count and latency by operation name, errors by `extensions.code`. */
import type { ApolloServerPlugin } from '@apollo/server';
import { operationLabel, type ServiceMetrics } from '../../lib/metrics';
import type { GatewayContext } from '../context';

export function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          const operation = operationLabel(operationName);
          metrics.operations.inc({ operation });
          metrics.operationDuration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
          for (const error of errors ?? []) {
            metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          }
        },
      };
    },
  };
}
