/**
 * The demo's credentials (API.md): one API client per credential role (every
 * role but PUBLIC, which is what no credential means) in the credit office's
 * register, their keys written to `<DATA_DIR>/demo-credentials.json` as
 *
 *   { "<ROLE>": { "apiKey": "cgk_...", "clientId": "cli_..." }, ... }
 *
 * readable by the owner only (0600): the register keeps only each key's
 * hash, so this file is the one place the demo keys exist. A second run
 * reuses the file and creates only what a role lacks.
 *
 * `npm start` calls it after seeding; run by hand it uses the embedded
 * PostgreSQL under DATA_DIR (or CREDIT_DATABASE_URL / DATABASE_URL, as the subgraph):
 *
 *   node --import tsx scripts/demo-credentials.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { CREDENTIAL_ROLES, type CredentialRole } from '../lib/auth/roles';
import { dataDirFrom, subgraphConfig } from '../lib/config';
import { writeOwnerOnly } from '../lib/local-cluster';

export const DEMO_CREDENTIALS_FILE = 'demo-credentials.json';

export interface DemoCredential {
  apiKey: string;
  clientId: string;
  /** The DEPARTMENT client's department. */
  department?: string;
}

export type DemoCredentials = Record<CredentialRole, DemoCredential>;

type Env = Record<string, string | undefined>;

/** Names the demo clients carry in the register (`npm run client -- list`). */
const DEMO_CLIENT_NAMES: Record<CredentialRole, string> = {
  APPROVAL_SYSTEM: 'Demo approval system',
  TRADING_PLATFORM: 'Demo public resource trading platform',
  FINANCIAL_INSTITUTION: 'Demo bank',
  DEPARTMENT: 'Demo department (courts)',
  CREDIT_OFFICE: 'Demo credit office',
  DEVELOPER: 'Demo developer',
};

/** The department the demo's DEPARTMENT client is registered for. */
export const DEMO_DEPARTMENT = 'COURTS';

export function demoCredentialsPath(dataDir: string): string {
  return path.join(dataDir, DEMO_CREDENTIALS_FILE);
}

const isCredential = (value: unknown): value is DemoCredential =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as DemoCredential).apiKey === 'string' &&
  typeof (value as DemoCredential).clientId === 'string';

/** What the file holds for each role (roles with no usable entry left out); empty when there is no file. */
export function readDemoCredentials(file: string): Partial<DemoCredentials> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const found: Partial<DemoCredentials> = {};
  if (typeof parsed !== 'object' || parsed === null) return found;
  for (const role of CREDENTIAL_ROLES) {
    const entry = (parsed as Record<string, unknown>)[role];
    // A department client written before clients had departments was revoked by the credit office's migration 009: made again.
    if (role === 'DEPARTMENT' && isCredential(entry) && typeof entry.department !== 'string') continue;
    if (isCredential(entry)) found[role] = { apiKey: entry.apiKey, clientId: entry.clientId, ...(entry.department ? { department: entry.department } : {}) };
  }
  return found;
}

export function isComplete(credentials: Partial<DemoCredentials>): credentials is DemoCredentials {
  return CREDENTIAL_ROLES.every((role) => credentials[role] !== undefined);
}

/**
 * The demo credentials of the deployment `env` describes (DATA_DIR and the
 * credit office's database, as the subgraph reads them): the file's when it
 * names every role, else the missing roles' clients created and the file
 * (re)written.
 */
export async function ensureDemoCredentials(env: Env = process.env): Promise<{ credentials: DemoCredentials; file: string; created: CredentialRole[] }> {
  const file = demoCredentialsPath(dataDirFrom(env));
  const credentials = readDemoCredentials(file);
  if (isComplete(credentials)) return { credentials, file, created: [] };

  const created: CredentialRole[] = [];
  // Loaded only now: the launcher reads the file through this module and must not carry the GraphQL stack.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openSubgraphDatabase } = require('../lib/subgraph') as typeof import('../lib/subgraph');
  const { creditSubgraph } = require('../subgraphs/credit') as typeof import('../subgraphs/credit');
  const { createClient } = require('../subgraphs/credit/clients') as typeof import('../subgraphs/credit/clients');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const db = await openSubgraphDatabase(creditSubgraph, subgraphConfig('credit', env));
  try {
    for (const role of CREDENTIAL_ROLES) {
      if (credentials[role]) continue;
      // The demo's department client is the court's: a department client acts for its own department only.
      const { client, apiKey } = await createClient(db, { name: DEMO_CLIENT_NAMES[role], role, department: role === 'DEPARTMENT' ? DEMO_DEPARTMENT : null });
      credentials[role] = { apiKey, clientId: client.id, ...(client.department ? { department: client.department } : {}) };
      created.push(role);
    }
  } finally {
    await db.close();
  }
  if (!isComplete(credentials)) throw new Error('demo credentials incomplete after creating them'); // unreachable: every role was filled above
  writeOwnerOnly(file, `${JSON.stringify(credentials, null, 2)}\n`);
  return { credentials, file, created };
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { withLocalCluster } = require('./postgres/cluster') as typeof import('./postgres/cluster');
  withLocalCluster(process.env, dataDirFrom(), () => ensureDemoCredentials())
    .then(({ file, created }) => {
      console.log(JSON.stringify({ file, created }));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
