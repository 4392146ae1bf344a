/**
 * `npm run postgres`: the embedded PostgreSQL server of DATA_DIR alone, in the
 * foreground until Ctrl-C, for running a subgraph by hand
 * (`node --import tsx subgraphs/market/main.ts` finds its database through
 * DATA_DIR/postgres.json) or for looking at the data with psql.
 */
import { dataDirFrom, postgresPort } from '../lib/config';
import { DEPARTMENTS } from '../lib/departments';
import { departmentUrl } from '../lib/local-cluster';
import { openLocalCluster } from './postgres/cluster';

async function main(): Promise<void> {
  const dataDir = dataDirFrom();
  const running = await openLocalCluster({ dataDir, port: postgresPort() });
  const redact = (url: string) => url.replace(/:[^:@/]+@/, ':***@');
  const where = running.owned ? 'ready' : `already running (owned by process ${running.cluster.ownerPid})`;
  console.log(`PostgreSQL ${where} on 127.0.0.1:${running.cluster.port} (data in ${dataDir}/postgres; passwords in ${dataDir}/postgres.json)`);
  for (const d of DEPARTMENTS) console.log(`  ${d.name.padEnd(12)} ${redact(departmentUrl(running.cluster, d.name))}`);
  if (!running.owned) return;
  console.log('Press Ctrl-C to stop.');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  running.onUnexpectedExit((code, signal) => {
    console.error(`PostgreSQL exited unexpectedly (${signal ?? `code ${code}`})`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
