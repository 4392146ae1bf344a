/**
 * Child process of the crash test: appends batches of audit entries to the
 * credit database forever, printing `committed <total>` after each commit,
 * until the test kills it with SIGKILL in the middle of a batch.
 *   node --import tsx test/audit/append-child.ts <databaseUrl> <batchSize>
 */
import path from 'node:path';
import { openSubgraphDatabase } from '../../lib/subgraph';
import { appendAuditEntries } from '../../subgraphs/credit/audit';
import { auditEntries } from './fixtures';

async function main(): Promise<void> {
  const [url, size] = process.argv.slice(2);
  const db = await openSubgraphDatabase(
    { name: 'credit', migrationsDir: path.join(__dirname, '../../subgraphs/credit/migrations') },
    { databaseUrl: url },
  );
  let total = 0;
  for (;;) {
    const batch = auditEntries(Number(size));
    process.stdout.write('begin\n');
    const result = await appendAuditEntries(db, batch);
    total += result.stored;
    process.stdout.write(`committed ${total}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
