/**
 * Audit: every request that reaches the gateway leaves an entry — who asked
 * (client, role, address), why (purpose), about whom (every subject code the
 * request names: literals in its text, its variables, every operation of a
 * batch; and every code its answer holds), which groups of fields, with the
 * gateway's request id (the client's beside it) and the real outcome
 * (FORBIDDEN when no value was answered for that reason, PARTIAL when some
 * was) — recorded before the answer is sent: the journal has it on disk
 * first (gateway/audit/writer.ts), so no answered request goes unaudited,
 * even after a crash. If it cannot be recorded, the answer is not sent:
 * 503 SERVICE_UNAVAILABLE instead.
 *
 * Requests refused before their operation's text was read (bad or missing
 * credentials, rate limits, a purpose missing, a body that could not be
 * read or was too large) are counted into one aggregate entry per address,
 * client, outcome and minute, so a flood of them is a few entries.
 *
 * Nothing is recorded when the gateway has no audit writer (no credit subgraph).
 */
import { GraphQLError, Kind, visit, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { collectSubjectCodes, subjectCodeOf } from '../../lib/invalidation';
import { MAX_AUDIT_SUBJECTS } from '../../lib/audit-entry';
import type { AuditRecord, AuditWriter } from '../audit/writer';
import { requestError, serialise, type GatewayPlugin, type GatewayRequest } from '../pipeline';
import { clientRequestIdOf } from './request-id';

/** Fields whose name is their department's group wherever they are selected. */
const DEPARTMENT_FIELDS = new Set(['market', 'tax', 'courts', 'environment', 'lists', 'registration']);
/** Root fields and the group they read or write. */
const ROOT_GROUPS: Record<string, string> = {
  creditCheck: 'checks',
  creditChecks: 'checks',
  creditCheckRecord: 'checks',
  checkFeedback: 'checks',
  submitFeedback: 'checks',
  listEntries: 'lists',
  publishListEntry: 'lists',
  endListEntry: 'lists',
  measureCatalogue: 'catalogue',
  publishMeasureCatalogue: 'catalogue',
  auditLog: 'audit',
  auditChainStatus: 'audit',
  creditStatistics: 'statistics',
  marketPublicationTimeliness: 'statistics',
  environmentPublicationTimeliness: 'statistics',
  spotCheckSample: 'supervision',
  searchSubjects: 'registration',
  marketDoublePublicity: 'market',
  environmentDoublePublicity: 'environment',
  // Issue 17's workflow records and supervision: a read of them is a read of the subject's records.
  jointCase: 'workflows',
  jointCases: 'workflows',
  rectificationOrder: 'workflows',
  commitment: 'workflows',
  commitmentPublicity: 'workflows',
  publicReports: 'workflows',
  departmentNotifications: 'workflows',
  spotCheckPlan: 'supervision',
  inspectionResults: 'supervision',
};
/** Fields anywhere that name their group. */
const NESTED_GROUPS: Record<string, string> = {
  accessLog: 'audit',
  creditCheckHistory: 'checks',
  creditGrade: 'supervision',
  rectificationOrders: 'workflows',
  interviews: 'workflows',
  commitments: 'workflows',
  publicCommitments: 'workflows',
};
/** Fields that carry a natural person's name or identity number (unmasked for callers with `personal`). */
const PERSON_FIELDS = new Set(['legalRepresentative', 'restrictedPerson', 'residentId']);

interface Groups {
  groups: string[];
  namesPersons: boolean;
}

const groupsByDocument = new WeakMap<DocumentNode, Map<string, Groups>>();

/** The groups of fields an operation touches, at any depth and through fragments (cached per document and operation). */
export function fieldGroupsOf(document: DocumentNode, operation: OperationDefinitionNode): Groups {
  const key = operation.name?.value ?? '';
  let byOperation = groupsByDocument.get(document);
  const known = byOperation?.get(key);
  if (known) return known;
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  const groups = new Set<string>();
  let namesPersons = false;
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode, root: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (root) {
          const group = ROOT_GROUPS[name] ?? (operation.operation === 'mutation' ? 'workflows' : undefined);
          if (group) groups.add(group);
        }
        if (DEPARTMENT_FIELDS.has(name)) groups.add(name);
        if (NESTED_GROUPS[name]) groups.add(NESTED_GROUPS[name]!);
        if (PERSON_FIELDS.has(name)) namesPersons = true;
        if (selection.selectionSet) walk(selection.selectionSet, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, root);
      } else if (!seen.has(selection.name.value)) {
        // A fragment's groups are the same wherever it is spread.
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment, root);
      }
    }
  };
  walk(operation.selectionSet, true);
  const found = { groups: [...groups].sort(), namesPersons };
  if (!byOperation) groupsByDocument.set(document, (byOperation = new Map()));
  byOperation.set(key, found);
  return found;
}

/** Codes written into a parsed document's literals (a parsed document is shared by every request with that text). */
const literalCodes = new WeakMap<DocumentNode, readonly string[]>();

function codesWrittenIn(document: DocumentNode): readonly string[] {
  let codes = literalCodes.get(document);
  if (!codes) {
    const found = new Set<string>();
    visit(document, {
      StringValue(node) {
        collectSubjectCodes(node.value, found);
      },
    });
    codes = [...found];
    literalCodes.set(document, codes);
  }
  return codes;
}

/** A code-shaped token: 18 characters of the USCC alphabet (which holds every resident identity number), not inside a longer token. */
const CODE_TOKEN = /(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXYa-hj-np-rtuwxy]{18}(?![0-9A-Za-z])/g;

/** Every valid subject code in a text: an operation that could not be parsed, or an answer. */
export function codesInText(text: string, into: Set<string> = new Set()): Set<string> {
  for (const [token] of text.matchAll(CODE_TOKEN)) {
    const code = subjectCodeOf(token);
    if (code) into.add(code);
  }
  return into;
}

/** Every valid subject code in the strings of an answer (its data, its errors), at any depth and inside longer texts (record ids, messages). */
export function codesInAnswer(value: unknown, into: Set<string> = new Set(), depth = 0): Set<string> {
  if (typeof value === 'string') return codesInText(value, into);
  if (value === null || typeof value !== 'object' || depth > 64) return into;
  if (value instanceof GraphQLError) return codesInAnswer(value.toJSON(), into, depth + 1);
  for (const item of Array.isArray(value) ? value : Object.values(value)) codesInAnswer(item, into, depth + 1);
  return into;
}

/** The subjects the operation names: literals in its text, variables, every operation of a batch. */
export function namedSubjects(request: GatewayRequest, codes = new Set<string>()): Set<string> {
  const operations = Array.isArray(request.rawBody) ? request.rawBody : [request.body];
  for (const operation of operations) {
    if (typeof operation !== 'object' || operation === null) continue;
    const { query, variables } = operation as { query?: unknown; variables?: unknown };
    if (request.document && operation === request.body) for (const code of codesWrittenIn(request.document)) codes.add(code);
    else if (typeof query === 'string') codesInText(query, codes);
    collectSubjectCodes(variables, codes);
  }
  return codes;
}

/** The subjects named anywhere in the operation and those its answer returned (before masking: request.answerSubjects). */
export function subjectsOf(request: GatewayRequest, answer: string): string[] {
  const codes = namedSubjects(request);
  for (const code of request.answerSubjects ?? []) codes.add(code);
  codesInText(answer, codes);
  return [...codes].slice(0, MAX_AUDIT_SUBJECTS);
}

const errorCode = (error: { extensions?: Record<string, unknown> }) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR');

/** Whether the answer holds no value at all: no data, or only nulls, empty lists and objects of them. */
function nothingAnswered(data: unknown): boolean {
  if (data === null || data === undefined) return true;
  if (Array.isArray(data)) return data.every(nothingAnswered);
  if (typeof data === 'object') return Object.values(data).every(nothingAnswered);
  return false;
}

/**
 * What happened: a refusal's own outcome; otherwise from the answer — OK
 * without errors, PARTIAL when something was answered beside them, and when
 * nothing was, the errors' code (FORBIDDEN, BAD_USER_INPUT,
 * DEPARTMENT_UNAVAILABLE, ...; ERROR for an internal one or a mix).
 */
export function outcomeOf(request: GatewayRequest): string {
  if (request.ended && request.outcome) return request.outcome;
  const result = request.result;
  if (!result) return request.outcome ?? (request.status >= 500 ? 'ERROR' : request.status >= 400 ? 'BAD_USER_INPUT' : 'OK');
  const errors = result.errors ?? [];
  if (errors.length === 0) return 'OK';
  if (!nothingAnswered(result.data)) return 'PARTIAL';
  const codes = new Set(errors.map(errorCode));
  if (codes.size !== 1) return 'ERROR';
  const [code] = codes;
  return code === 'INTERNAL_SERVER_ERROR' ? 'ERROR' : code!;
}

/** The entry of a request, once its answer is known. */
export function auditRecordOf(request: GatewayRequest, answer: string): AuditRecord {
  const groups = request.document && request.operation ? fieldGroupsOf(request.document, request.operation) : undefined;
  const fieldGroups = groups ? [...groups.groups] : [];
  if (groups?.namesPersons && request.scopes.has('personal')) fieldGroups.push('personal_data');
  return {
    requestId: request.id,
    clientRequestId: request.clientRequestId ?? clientRequestIdOf(request.headers),
    sourceAddress: request.ip || null,
    clientId: request.caller.clientId,
    role: request.caller.role,
    purpose: request.purpose,
    operationName: request.operation?.name?.value ?? request.operationName ?? null,
    subjects: subjectsOf(request, answer),
    fieldGroups,
    outcome: outcomeOf(request),
  };
}

export function auditPlugin(options: { audit: AuditWriter | null }): GatewayPlugin {
  const { audit } = options;
  return {
    name: 'audit',
    async onSend(request, text) {
      if (!audit) return;
      const entry = auditRecordOf(request, text);
      // No operation text was read: counted into its aggregate, not one entry each.
      const refusedBeforeOperation = request.ended && request.source === undefined;
      try {
        await (refusedBeforeOperation ? audit.recordRefusal(entry) : audit.record(entry));
      } catch (error) {
        // Not on record, so not answered.
        request.log.error({ err: error, requestId: request.id }, 'the request could not be audited: its answer was withheld');
        request.status = 503;
        request.outcome = 'ERROR';
        request.result = { errors: [requestError('SERVICE_UNAVAILABLE', `the request could not be recorded in the audit log, so it was not answered; retry later (request ${request.id})`)] };
        request.responseText = serialise(request.result);
      }
    },
  };
}
