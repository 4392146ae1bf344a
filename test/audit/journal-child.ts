/**
 * Child process of the writer's crash test: a gateway's audit writer whose
 * credit office does not answer records entries and refusals, printing
 * `recorded <entryId>` once each one's record() resolved (on disk, as before
 * an answer is sent), then `done`, and waits for the SIGKILL.
 *   node --import tsx test/audit/journal-child.ts <journalDir> <auditUrl> <entries> <refusals>
 */
import crypto from 'node:crypto';
import { createAuditWriter } from '../../gateway/audit/writer';
import { createLogger } from '../../lib/logger';
import { SIGNING_KEY, subjectCode } from './fixtures';

async function main(): Promise<void> {
  const [journalDir, url, entries, refusals] = process.argv.slice(2);
  const writer = createAuditWriter({ url: url!, signingKey: SIGNING_KEY, logger: createLogger('journal-child', 'silent'), journalDir: journalDir!, flushIntervalMs: 60_000 });
  // Concurrently, as requests arrive: each resolves with its group's flush.
  await Promise.all(
    Array.from({ length: Number(entries) }, async (_, i) => {
      const entryId = crypto.randomUUID();
      await writer.record({ entryId, requestId: `child-${i}`, clientId: null, role: 'PUBLIC', purpose: null, operationName: 'Profile', subjects: [subjectCode(i % 9)], fieldGroups: ['market'], outcome: 'OK' });
      process.stdout.write(`recorded ${entryId}\n`);
    }),
  );
  for (let i = 0; i < Number(refusals); i++) {
    await writer.recordRefusal({ requestId: `refused-${i}`, sourceAddress: '203.0.113.9', clientId: null, role: 'PUBLIC', purpose: null, operationName: null, subjects: [], fieldGroups: [], outcome: 'UNAUTHENTICATED' });
  }
  process.stdout.write('done\n');
  setInterval(() => {}, 60_000);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
