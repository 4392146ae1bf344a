/** What the gateway knows about one incoming request, shared by its plugins and data sources. */
export interface GatewayContext {
  requestId: string;
}
