/**
 * Per-subject authorisation: a financial institution holds `tax:detail` only
 * for the subjects that authorised it (the credit office's records, asked
 * once per request for every subject the operation names). The scopes then
 * depend on where in the answer a field is: full scopes under a root
 * `subject`/`subjects` field for an authorised subject, without `tax:detail`
 * elsewhere; when no named subject authorised the bank the scope is dropped
 * for the whole operation, so field access (next in the pipeline) asks no
 * department for the detail. No answer from the credit office means no
 * authorisation (fail closed).
 */
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { GatewayPlugin } from '../pipeline';

export const SUBJECT_DETAIL_SCOPE = 'tax:detail';
const ROLE = 'FINANCIAL_INSTITUTION';
/** The root fields that name subjects, and the argument that names them. */
const SUBJECT_ROOTS: Record<string, 'code' | 'codes'> = { subject: 'code', subjects: 'codes' };

/** Which of `codes` authorised the client; no usable answer is an empty set. */
export type AuthorisedSubjects = (clientId: string, codes: string[]) => Promise<Set<string>>;

/** Response key of each root `subject`/`subjects` field → the codes it names, in order (normalised as the credit office does). */
export function subjectsNamed(operation: OperationDefinitionNode, variables: Record<string, unknown>): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const argumentName = SUBJECT_ROOTS[selection.name.value];
    const argument = argumentName && selection.arguments?.find((a) => a.name.value === argumentName);
    if (!argument) continue;
    const value = argument.value;
    const raw =
      value.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : value.kind === Kind.STRING
          ? value.value
          : value.kind === Kind.LIST
            ? value.values.map((v) => (v.kind === Kind.STRING ? v.value : v.kind === Kind.VARIABLE ? variables[v.name.value] : undefined))
            : undefined;
    const codes = (Array.isArray(raw) ? raw : [raw]).map((code) => (typeof code === 'string' ? code.trim().toUpperCase() : ''));
    named.set(selection.alias?.value ?? selection.name.value, codes);
  }
  return named;
}

export function subjectAuthorisationPlugin(options: { authorisedSubjects: AuthorisedSubjects | undefined }): GatewayPlugin {
  return {
    name: 'subject-authorisation',
    async onRequest(request) {
      const { operation, caller } = request;
      if (!operation || caller.role !== ROLE || !request.scopes.has(SUBJECT_DETAIL_SCOPE)) return;
      const named = subjectsNamed(operation, request.variables);
      const all = [...new Set([...named.values()].flat())];
      const authorised = all.length > 0 && caller.clientId && options.authorisedSubjects ? await options.authorisedSubjects(caller.clientId, all) : new Set<string>();
      const full: ReadonlySet<string> = new Set(request.scopes);
      const without: ReadonlySet<string> = new Set([...full].filter((scope) => scope !== SUBJECT_DETAIL_SCOPE));
      request.scopesAt = (path) => {
        const codes = named.get(String(path[0]));
        const code = codes && (codes.length === 1 && typeof path[1] !== 'number' ? codes[0] : typeof path[1] === 'number' ? codes[path[1]] : undefined);
        return code !== undefined && authorised.has(code) ? full : without;
      };
      if (authorised.size === 0) request.scopes.delete(SUBJECT_DETAIL_SCOPE);
    },
  };
}
