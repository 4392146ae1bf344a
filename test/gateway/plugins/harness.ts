/**
 * Runs gateway plugins in-process, as gateway/server.ts does, over a small
 * schema executed by graphql-js (no gateway, no subgraphs): each plugin test
 * builds the list it needs and sends requests through runPipeline and
 * endPipeline, reading the answer and the request's state afterwards.
 */
import crypto from 'node:crypto';
import { buildSchema, execute, type GraphQLSchema } from 'graphql';
import { SignJWT } from 'jose';
import { createLogger } from '../../../lib/logger';
import type { CredentialRole } from '../../../lib/auth/roles';
import { createGatewayRequest, endPipeline, runPipeline, type Execute, type GatewayPlugin, type GatewayRequest } from '../../../gateway/pipeline';

export const logger = createLogger('plugin-test', 'silent');

export const SDL = `
directive @access(scopes: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
directive @cacheControl(maxAge: Int) on FIELD_DEFINITION | OBJECT
type Query @access(scopes: ["public"]) {
  subject(code: ID!): Subject! @cacheControl(maxAge: 60)
  subjects(codes: [ID!]!): [Subject!]! @cacheControl(maxAge: 60)
  records(code: ID!): [Record!]! @cacheControl(maxAge: 60)
  search(text: String!): [SearchHit!]! @cacheControl(maxAge: 60)
  creditCheck(code: ID!): String @access(scopes: ["checks"])
}
type Subject @access(scopes: ["public"]) @cacheControl(maxAge: 60) {
  code: ID!
  name: String
  tax: TaxProfile
}
type TaxProfile @access(scopes: ["records", "tax:detail"]) {
  level: String
  amount: Float @access(scopes: ["tax:detail"])
}
interface Record @access(scopes: ["public"]) {
  id: ID!
  detail: String @access(scopes: ["records"])
}
type Penalty implements Record @access(scopes: ["public"]) {
  id: ID!
  detail: String @access(scopes: ["records"])
  fine: Float @access(scopes: ["records"])
}
type Licence implements Record @access(scopes: ["public"]) {
  id: ID!
  detail: String @access(scopes: ["records"])
  scope: String
}
union SearchHit = Penalty | Licence
`;

export const schema: GraphQLSchema = buildSchema(SDL);

/** Executions so far, so a test can tell an answer that did not run (a cache hit, a refusal). */
export const executions: { count: number; documents: string[] } = { count: 0, documents: [] };

const records = (code: string) => [
  { __typename: 'Penalty', id: `${code}-p`, detail: 'late filing', fine: 500 },
  { __typename: 'Licence', id: `${code}-l`, detail: 'food retail', scope: 'retail' },
];

export const rootValue = {
  subject: ({ code }: { code: string }) => ({ code, name: `name of ${code}`, tax: { level: 'A', amount: 12.5 } }),
  subjects: ({ codes }: { codes: string[] }) => codes.map((code) => ({ code, name: `name of ${code}`, tax: { level: 'B', amount: 1 } })),
  records: ({ code }: { code: string }) => records(code),
  search: ({ text }: { text: string }) => records(text),
  creditCheck: () => 'CLEAR',
};

/** The pipeline's execution step on graphql-js: what the plugins prepared, run against `schema`. */
export const graphqlExecute: Execute = async (request) => {
  executions.count++;
  const { print } = await import('graphql');
  executions.documents.push(print(request.executable!.document));
  const result = await execute({ schema, document: request.executable!.document, rootValue, variableValues: request.variables, operationName: request.operationName });
  return { data: result.data as Record<string, unknown> | null | undefined, errors: result.errors ? [...result.errors] : undefined };
};

export interface Sent {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string>;
  request: GatewayRequest;
}

/** Sends one request through `plugins` (and execution), then runs onEnd as the route does after the answer. */
export async function send(
  plugins: GatewayPlugin[],
  body: { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown },
  headers: Record<string, string> = {},
  options: { ip?: string; execute?: Execute } = {},
): Promise<Sent> {
  const request = createGatewayRequest({ id: crypto.randomUUID(), headers, ip: options.ip ?? '10.0.0.1', body, log: logger });
  const text = await runPipeline(plugins, options.execute ?? graphqlExecute, request);
  await endPipeline(plugins, request);
  return { status: request.status, body: JSON.parse(text), text, headers: request.responseHeaders, request };
}

export const JWT_SECRET = crypto.randomBytes(32).toString('base64url');

/** A bearer token for `role` signed with JWT_SECRET. */
export async function bearer(role: CredentialRole, subject = `client-${role.toLowerCase()}`): Promise<Record<string, string>> {
  const token = await new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setExpirationTime('5m').sign(Buffer.from(JWT_SECRET));
  return { authorization: `Bearer ${token}`, 'x-purpose': 'plugin test' };
}
