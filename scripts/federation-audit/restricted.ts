/**
 * Field-level authorisation on every audit supergraph under a restrictive
 * policy (open-policies.ts withRestrictedPolicies: a third of the fields of
 * every type and interface forbidden to PUBLIC): each audit query is sent to
 * our gateway as PUBLIC and its answer must carry no error the client did
 * not cause — only FORBIDDEN, or the errors the audit itself expects — and
 * no reserved key of the rewrite. Run by `npm run audit:federation --
 * --restricted` inside a network namespace, with the audit's subgraphs
 * served on :4200; our gateway on :4000.
 *
 *   tsx scripts/federation-audit/restricted.ts ROUND
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/config';
import { withRestrictedPolicies } from './open-policies';

const AUDIT = 'http://127.0.0.1:4200';
const GATEWAY = 'http://127.0.0.1:4000';

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const round = Number(process.argv[2] ?? 0);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-restricted-'));
  await waitFor(`${AUDIT}/ids`, 60_000);
  const ids = (await (await fetch(`${AUDIT}/ids`)).json()) as string[];
  let queries = 0;
  const anomalies: string[] = [];
  for (const id of ids) {
    const { sdl, forbidden } = withRestrictedPolicies(await (await fetch(`${AUDIT}/${id}/supergraph`)).text(), round);
    const file = path.join(workDir, `${id}.graphql`);
    fs.writeFileSync(file, sdl);
    const gateway = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--supergraph', file, '--port', '4000'], {
      cwd: ROOT_DIR,
      env: { PATH: process.env.PATH, IDENTITY_SIGNING_KEY: crypto.randomBytes(32).toString('base64url'), LOG_LEVEL: 'error', DATA_DIR: path.join(workDir, 'data') },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    try {
      await waitFor(`${GATEWAY}/healthz`, 60_000);
      const tests = (await (await fetch(`${AUDIT}/${id}/tests`)).json()) as { query: string; expected: { errors?: boolean } }[];
      for (const [n, test] of tests.entries()) {
        queries++;
        const response = await fetch(`${GATEWAY}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: test.query }) });
        const text = await response.text();
        const errors = ((JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN');
        if (response.status >= 500 || text.includes('__cg') || (errors.length > 0 && !test.expected.errors)) {
          anomalies.push(`${id}#${n} (forbidden: ${forbidden.join(', ')})\n    query:  ${test.query.replace(/\s+/g, ' ').trim()}\n    answer: ${response.status} ${text.slice(0, 400)}`);
        }
      }
    } finally {
      const exited = new Promise((resolve) => gateway.once('exit', resolve));
      gateway.kill('SIGTERM');
      await exited;
    }
  }
  console.log(`restricted round ${round}: ${queries} queries over ${ids.length} suites, ${anomalies.length} with an error the client did not cause`);
  for (const anomaly of anomalies) console.log(`  ${anomaly}`);
  fs.rmSync(workDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
