/**
 * The credit office's register of client systems, from the command line:
 *
 *   npm run client -- create --role ROLE --name NAME [--expires-in 90d] [--json]
 *   npm run client -- list [--json]
 *   npm run client -- revoke --id ID
 *
 * Writes through the credit subgraph's own store and database (DATA_DIR or
 * CREDIT_DATABASE_URL / DATABASE_URL, as the subgraph itself), so it needs no
 * running service, and is safe beside a running graph: it goes through the
 * graph's PostgreSQL server (and says so), never opens its files. `create`
 * prints the API key once: only its hash is kept. `revoke` announces the
 * revocation to every gateway on Redis when REDIS_URL / REDIS_CLUSTER_NODES
 * is set (lib/auth/revocations.ts), so it takes effect at once; without it,
 * within 5 s (each gateway's cache of valid keys).
 */
import { parseArgs } from 'node:util';
import { CREDENTIAL_ROLES, RECORD_DEPARTMENTS } from '../lib/auth/roles';
import { ClientRegistryError, createClient, listClients, revokeClient, type ApiClient } from '../subgraphs/credit/clients';

const USAGE = `usage:
  npm run client -- create --role ROLE --name NAME [--department DEPARTMENT] [--expires-in DURATION] [--json]
  npm run client -- list [--json]
  npm run client -- revoke --id ID

ROLE is one of ${CREDENTIAL_ROLES.join(', ')}.
DEPARTMENT (required for --role DEPARTMENT, refused otherwise) is one of ${RECORD_DEPARTMENTS.join(', ')}:
the only department whose records the client publishes, verifies and decides.
DURATION is a whole number of hours, days or weeks: 12h, 90d, 4w.`;

class UsageError extends Error {}

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d` → milliseconds; anything else is refused with the reason. */
function parseDuration(text: string): number {
  const match = /^([1-9]\d{0,5})([hdw])$/.exec(text.trim());
  if (!match) throw new UsageError(`--expires-in takes a whole number of hours, days or weeks (12h, 90d, 4w), got '${text}'`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

function status(client: ApiClient, now: Date): string {
  if (client.revokedAt) return 'revoked';
  if (client.expiresAt && Date.parse(client.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

function table(clients: ApiClient[], now: Date): string {
  const header = ['id', 'role', 'department', 'name', 'key', 'created', 'expires', 'status'];
  const rows = clients.map((c) => [c.id, c.role, c.department ?? '', c.name, `${c.keyPrefix}…`, c.createdAt, c.expiresAt ?? 'never', status(c, now)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      'expires-in': { type: 'string' },
      department: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined) {
    console.log(USAGE);
    if (command === undefined && !values.help) process.exitCode = 2;
    return;
  }
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`unknown command '${command}'`);

  // Everything the command line can get wrong is refused before the database is opened.
  let expiresAt: Date | undefined;
  if (command === 'create') {
    if (!values.role) throw new UsageError('create needs --role');
    if (!(CREDENTIAL_ROLES as readonly string[]).includes(values.role)) {
      throw new UsageError(`unknown role '${values.role}': one of ${CREDENTIAL_ROLES.join(', ')} (PUBLIC needs no key)`);
    }
    if (!values.name?.trim()) throw new UsageError('create needs --name');
    if (values.role === 'DEPARTMENT' && !values.department) throw new UsageError(`--role DEPARTMENT needs --department (${RECORD_DEPARTMENTS.join(', ')})`);
    if (values.role !== 'DEPARTMENT' && values.department) throw new UsageError('only --role DEPARTMENT takes --department');
    if (values['expires-in'] !== undefined) expiresAt = new Date(Date.now() + parseDuration(values['expires-in']));
  }
  if (command === 'revoke' && !values.id) throw new UsageError('revoke needs --id');

  // Loaded only now: the subgraph definition pulls in the whole GraphQL stack, which a refused command line does not need.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { openSubgraphDatabase } = require('../lib/subgraph') as typeof import('../lib/subgraph');
  const { dataDirFrom, subgraphConfig } = require('../lib/config') as typeof import('../lib/config');
  const { creditSubgraph } = require('../subgraphs/credit') as typeof import('../subgraphs/credit');
  const { withLocalCluster } = require('./postgres/cluster') as typeof import('./postgres/cluster');
  const { announceRevocation } = require('../lib/auth/revocations') as typeof import('../lib/auth/revocations');
  /* eslint-enable @typescript-eslint/no-require-imports */
  // Through the running graph's database server when there is one, so the change is there at once.
  await withLocalCluster(process.env, dataDirFrom(), async (server) => {
    if (server && !server.owned) {
      console.error(`(through the running graph's PostgreSQL server on 127.0.0.1:${server.cluster.port}, owned by process ${server.cluster.ownerPid})`);
    }
    const db = await openSubgraphDatabase(creditSubgraph, subgraphConfig('credit'));
    try {
      if (command === 'create') {
        const { client, apiKey } = await createClient(db, { name: values.name!, role: values.role!, expiresAt, department: values.department ?? null });
        if (values.json) {
          console.log(JSON.stringify({ ...client, apiKey }, null, 2));
        } else {
          console.log(`created ${client.id} (${client.role}${client.department ? ` for ${client.department}` : ''}, "${client.name}"), expires ${client.expiresAt ?? 'never'}`);
          console.log(`\n  API key: ${apiKey}\n`);
          console.log('Store it now: it is shown only this once (the credit office keeps only its hash).');
          console.log('Send it as the X-Api-Key header. A lost key cannot be recovered: revoke it and create another.');
        }
      } else if (command === 'list') {
        const clients = await listClients(db);
        if (values.json) console.log(JSON.stringify(clients, null, 2));
        else console.log(clients.length === 0 ? 'no clients' : table(clients, new Date()));
      } else {
        const client = await revokeClient(db, values.id!);
        console.log(`revoked ${client.id} (${client.role}, "${client.name}") at ${client.revokedAt}`);
        // Committed first: a gateway that drops the key at once must find it revoked when it asks again.
        let announced = false;
        try {
          announced = await announceRevocation(client.id);
        } catch (error) {
          console.error(`could not announce the revocation on Redis (${(error as Error).message}): it takes effect on every gateway within 5 s`);
        }
        console.log(announced ? 'announced to every gateway: refused from now on' : 'takes effect on every gateway within 5 s (no Redis configured to announce it)');
      }
    } finally {
      await db.close();
    }
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ClientRegistryError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`error: ${(error as Error).message}`);
    if (error instanceof UsageError || !(error instanceof ClientRegistryError)) console.error(`\n${USAGE}`);
    process.exitCode = error instanceof ClientRegistryError && error.reason === 'NOT_FOUND' ? 1 : 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
