/**
 * Who may act on a department's records (DESIGN.md «Decisions»: "a
 * department's client acts only for its own department"): a DEPARTMENT
 * client for the one department it is registered for (the client register's
 * `department`, a bearer token's `department` claim), the credit office for
 * any. Every other caller is refused. The refusal is FORBIDDEN with
 * `extensions.reason` and names the mutation.
 */
import { GraphQLError } from 'graphql';
import type { ForwardedIdentity } from '../../lib/auth/identity-header';
import type { Department } from './vocabulary';

export type CallerRefusal = 'OTHER_DEPARTMENT' | 'NO_DEPARTMENT' | 'NOT_ALLOWED' | 'NOT_YOUR_CHECK';

export function forbidden(mutation: string, reason: CallerRefusal, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`${mutation}: ${message}`, { extensions: { ...extra, code: 'FORBIDDEN', reason, operation: mutation } });
}

/** The department a caller acts for: its registered one for a DEPARTMENT client, CREDIT_OFFICE for the credit office, else none. */
export function callerDepartment(caller: ForwardedIdentity): Department | null {
  if (caller.role === 'CREDIT_OFFICE') return 'CREDIT_OFFICE';
  if (caller.role === 'DEPARTMENT') return (caller.department as Department | null | undefined) ?? null;
  return null;
}

/** Whether the caller is the credit office itself, which decides for any department. */
export const isCreditOffice = (caller: ForwardedIdentity): boolean => caller.role === 'CREDIT_OFFICE';

/** Refuses unless the caller may act for `department`'s records in `mutation`. */
export function requireActsFor(caller: ForwardedIdentity, department: Department, mutation: string): void {
  if (isCreditOffice(caller)) return;
  if (caller.role !== 'DEPARTMENT') {
    throw forbidden(mutation, 'NOT_ALLOWED', `${caller.role} clients do not act for a department's records`);
  }
  const own = callerDepartment(caller);
  if (!own) throw forbidden(mutation, 'NO_DEPARTMENT', 'this DEPARTMENT client is registered for no department; register it again with its department');
  if (own !== department) {
    throw forbidden(mutation, 'OTHER_DEPARTMENT', `a ${own} client acts for ${own}'s records only, not ${department}'s`, { department: own });
  }
}

/** The scope of the caller's idempotency keys: its client id ('' without one). */
export const clientScope = (caller: ForwardedIdentity): string => caller.clientId ?? '';

/**
 * Whose objections and repair applications the caller may read: the credit
 * office every department's; a DEPARTMENT client its own department's (the
 * records it verifies and decides); anyone else none. A department's
 * workflow records name another department's subjects, disputes and
 * rectifications, which are that department's business.
 */
export function workflowDepartmentOf(caller: ForwardedIdentity): Department | 'ALL' | null {
  return isCreditOffice(caller) ? 'ALL' : callerDepartment(caller);
}

/** The rows of a department's workflow records the caller may read (workflowDepartmentOf). */
export function readableWorkflowRows<R extends { department: Department }>(caller: ForwardedIdentity, rows: readonly R[]): R[] {
  const readable = workflowDepartmentOf(caller);
  if (readable === 'ALL') return [...rows];
  return readable === null ? [] : rows.filter((row) => row.department === readable);
}

/**
 * Refuses reading a department's workflow records in `field` unless the caller may
 * (workflowDepartmentOf). A record that concerns several departments (a joint
 * case: the one that opened it and those assigned in it) is readable by any of them.
 */
export function requireReadsWorkflowsOf(
  caller: ForwardedIdentity,
  department: Department | readonly Department[] | null,
  field: string,
  what = 'objections and repair applications',
): void {
  const readable = workflowDepartmentOf(caller);
  const concerned = department === null ? null : typeof department === 'string' ? [department] : department;
  if (readable === 'ALL' || (readable !== null && (concerned === null || concerned.includes(readable)))) return;
  if (readable === null) {
    throw forbidden(field, caller.role === 'DEPARTMENT' ? 'NO_DEPARTMENT' : 'NOT_ALLOWED', `${caller.role} clients read no department's ${what}`);
  }
  throw forbidden(field, 'OTHER_DEPARTMENT', `a ${readable} client reads ${readable}'s ${what} only, not ${concerned!.join(' or ')}'s`, { department: readable });
}
