/**
 * Runs a department subgraph in-process against a real database engine, for
 * the per-subgraph suites: once on embedded PGlite, once on PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../lib/db';
import { buildSubgraph, openSubgraphDatabase, type SubgraphDefinition } from '../../lib/subgraph';
import { createLogger } from '../../lib/logger';
import { createTestDatabase } from './postgres';
import type { FastifyInstance } from 'fastify';

export type Engine = 'pglite' | 'postgres';
export const ENGINES: Engine[] = ['pglite', 'postgres'];

export interface SubgraphUnderTest {
  db: Database;
  app: FastifyInstance;
  /** POSTs a GraphQL request and returns the parsed body. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: any[] }>;
  /** Resolves `Subject` representations through `_entities`, as the gateway does. */
  entities<T = any>(codes: string[], selection: string): Promise<T[]>;
  close(): Promise<void>;
}

export async function startSubgraph<L>(definition: SubgraphDefinition<L>, engine: Engine): Promise<SubgraphUnderTest> {
  let cleanup: () => Promise<void>;
  let config: { databaseUrl: string | undefined; dataDir: string };
  if (engine === 'postgres') {
    const database = await createTestDatabase(definition.name);
    config = { databaseUrl: database.url, dataDir: '' };
    cleanup = database.drop;
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cg-${definition.name}-`));
    config = { databaseUrl: undefined, dataDir: dir };
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  }
  const db = await openSubgraphDatabase(definition, config);
  const { app } = await buildSubgraph(definition, db, createLogger(`test-${definition.name}`, 'warn'));
  await app.ready();
  const graphql = async (query: string, variables?: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
    return response.json();
  };
  return {
    db,
    app,
    graphql,
    async entities(codes, selection) {
      const result = await graphql(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Subject { ${selection} } } }`,
        { r: codes.map((code) => ({ __typename: 'Subject', code })) },
      );
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data._entities;
    },
    async close() {
      await app.close();
      await db.close();
      await cleanup();
    },
  };
}

/** Counts the statements a database runs while `fn` executes. */
export async function countQueries<T>(db: Database, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = db.query;
  db.query = (<R>(sql: string, params?: readonly unknown[]) => {
    statements.push(sql);
    return original.call(db, sql, params) as Promise<R[]>;
  }) as Database['query'];
  try {
    return { result: await fn(), statements };
  } finally {
    db.query = original;
  }
}
