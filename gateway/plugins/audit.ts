/**
 * Audit: one entry per request — who asked (client, role), why (purpose),
 * about whom (every subject code in the variables and in the operation's own
 * text), which department groups, and the outcome — recorded after the
 * answer went out, so it never slows a request (gateway/audit/writer.ts ships
 * it to the credit office's hash-chained log; nothing is recorded when the
 * gateway has no audit writer).
 */
import { Kind, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { collectSubjectCodes } from '../../lib/invalidation';
import { MAX_AUDIT_SUBJECTS } from '../../lib/audit-entry';
import type { AuditWriter } from '../audit/writer';
import type { GatewayPlugin, GatewayRequest } from '../pipeline';

/** The fields whose name is their department group in the audit entry. */
const DEPARTMENT_FIELDS = new Set(['market', 'tax', 'courts', 'environment', 'lists']);

/** Top-level department groups an operation reads (market, tax, ... checks, workflows). */
export function fieldGroupsOf(operation: OperationDefinitionNode): string[] {
  const groups = new Set<string>();
  const visitSelections = (selections: OperationDefinitionNode['selectionSet']['selections'], depth: number) => {
    for (const selection of selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const name = selection.name.value;
      if (depth === 0) {
        if (name === 'creditCheck' || name === 'creditChecks') groups.add('checks');
        else if (name === 'listEntries') groups.add('lists');
        else if (operation.operation === 'mutation') groups.add('workflows');
      }
      if (DEPARTMENT_FIELDS.has(name)) groups.add(name);
      if (selection.selectionSet && depth < 2) visitSelections(selection.selectionSet.selections, depth + 1);
    }
  };
  visitSelections(operation.selectionSet.selections, 0);
  return [...groups].sort();
}

/** The codes written into an operation's text; a parsed document is shared by every request with that text. */
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

/** Every subject code the request names: in its variables and as string literals in its text. */
export function subjectsOf(variables: unknown, document: DocumentNode | undefined): string[] {
  const codes = collectSubjectCodes(variables);
  for (const code of document ? codesWrittenIn(document) : []) codes.add(code);
  return [...codes];
}

export function outcomeOf(request: GatewayRequest): string {
  return request.outcome ?? (request.status >= 500 ? 'ERROR' : request.status >= 400 ? 'BAD_USER_INPUT' : 'OK');
}

export function auditPlugin(options: { audit: AuditWriter | null }): GatewayPlugin {
  return {
    name: 'audit',
    onEnd(request) {
      if (!options.audit) return;
      const operation = request.operation;
      options.audit.record({
        requestId: request.id,
        clientId: request.caller.clientId,
        role: request.caller.role,
        purpose: request.purpose,
        operationName: request.operationName ?? operation?.name?.value ?? null,
        subjects: subjectsOf(request.body.variables ?? {}, request.document).slice(0, MAX_AUDIT_SUBJECTS),
        fieldGroups: operation ? fieldGroupsOf(operation) : [],
        outcome: outcomeOf(request),
      });
    },
  };
}
