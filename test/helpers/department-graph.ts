/**
 * The whole graph as the issue-17 review suites use it: the processes and seeded data of
 * startTestGraph, a direct connection to its database (for the calendar: moving dates a test
 * cannot wait for), the credit office's store, and one DEPARTMENT client per department named (the
 * demo's own DEPARTMENT key is the courts').
 */
import { Client } from 'pg';
import { openDatabase, type Database } from '../../lib/db';
import { createClient } from '../../subgraphs/credit/clients';
import { startTestGraph, type TestGraph, type TestGraphOptions } from './graph';

export interface DepartmentGraph {
  graph: TestGraph;
  db: Client;
  credit: Database;
  /** API key per department named. */
  keys: Record<string, string>;
  close(): Promise<void>;
}

export async function startDepartmentGraph(departments: readonly string[], options: TestGraphOptions): Promise<DepartmentGraph> {
  const graph = await startTestGraph(options);
  const db = new Client({ connectionString: graph.databaseUrl });
  await db.connect();
  const credit = await openDatabase({ schema: 'credit', url: graph.databaseUrl });
  const keys: Record<string, string> = {};
  for (const department of departments) {
    keys[department] = (await createClient(credit, { name: `${department.toLowerCase()} clerk`, role: 'DEPARTMENT', department })).apiKey;
  }
  return {
    graph,
    db,
    credit,
    keys,
    async close() {
      await credit.close();
      await db.end();
      await graph.close();
    },
  };
}

/** The first error of an answer as a test reads a refusal: its extensions and its message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a refusal's extensions are whatever the graph answered; tests read them by name
export const refusalOf = (body: { errors?: any[] }): Record<string, any> => ({ ...body.errors?.[0]?.extensions, message: body.errors?.[0]?.message });
