/** Audit entries for the audit suites. */
import crypto from 'node:crypto';
import type { AuditEntry } from '../../lib/audit-entry';
import { buildUscc } from '../../lib/identifiers';

export const SIGNING_KEY = 'test-signing-key-0123456789abcdef0123456789';

export const subjectCode = (n: number) =>
  buildUscc({ authority: '9', entityType: '1', division: '110105', organisationBody: String(70000000 + n).slice(0, 8) });

let counter = 0;

/** A valid entry; `overrides` replace fields. */
export function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  counter += 1;
  return {
    entryId: crypto.randomUUID(),
    at: new Date(Date.UTC(2026, 4, 1, 8, 0, 0) + counter * 1000).toISOString(),
    requestId: `req-${counter}`,
    clientId: `client-${counter % 3}`,
    role: ['APPROVAL_SYSTEM', 'FINANCIAL_INSTITUTION', 'PUBLIC'][counter % 3]!,
    purpose: counter % 3 === 2 ? null : `licence-2026-${counter}`,
    operationName: 'Profile',
    subjects: [subjectCode(counter % 7)],
    fieldGroups: ['market', 'lists'],
    outcome: 'OK',
    ...overrides,
  };
}

export function auditEntries(count: number, overrides: Partial<AuditEntry> = {}): AuditEntry[] {
  return Array.from({ length: count }, () => auditEntry(overrides));
}
