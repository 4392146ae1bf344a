/** Stops the test run's PostgreSQL server (test/global-setup.ts) and removes its files. */
import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const running = globalThis.__testPostgres;
  if (!running) return;
  await running.cluster.stop();
  fs.rmSync(running.dir, { recursive: true, force: true });
}
