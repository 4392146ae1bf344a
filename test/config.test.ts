/**
 * ENVIRONMENT_VARIABLES must name every variable the services read, and
 * nothing they don't: docker-compose.yml and the docs are checked against
 * it, so a variable missing from it would be configurable nowhere but in
 * the code. The source is scanned as text, because reads are spread over
 * lib/, gateway/ and subgraphs/ and written by many hands; the scan knows the
 * forms used in this code base and fails loudly on a read it cannot resolve
 * rather than let it through.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import os from 'node:os';
import { ENVIRONMENT_VARIABLES, gatewayConfig, postgresPort, ROOT_DIR, subgraphConfig } from '../lib/config';
import { writeLocalCluster } from '../lib/local-cluster';
import { DEPARTMENTS } from '../lib/departments';

const SCANNED_DIRS = ['lib', 'gateway', 'subgraphs', 'web'];
const SOURCE_EXTENSIONS = /\.(?:[cm]?ts|tsx|[cm]?js)$/;

/**
 * Reads by a name the scan cannot see, each allowed for a stated reason.
 * Keyed by file and the exact key expression inside `env[...]`.
 */
const ALLOWED_DYNAMIC_READS: { file: string; key: string; why: string }[] = [
  {
    file: 'lib/config.ts',
    key: 'name',
    why: 'intFrom(env, name, fallback): its callers pass the name as a literal, which the scan reads from the call',
  },
];

/**
 * Documented before the code that reads them has landed: the brief for the
 * gateway's shared entity cache names REDIS_URL, and docker-compose.yml
 * already sets it. Remove a name from here as soon as code reads it.
 */
const NOT_YET_READ = new Set<string>([]);

const DEPARTMENT_PREFIXES = DEPARTMENTS.map((d) => d.name.toUpperCase());

interface Found {
  /** Exact names read. */
  names: { name: string; file: string }[];
  /** Names matched by a pattern while enumerating the environment (`Object.entries(env)` + regex). */
  patterns: { pattern: RegExp; file: string }[];
  /** `env[expr]` whose key is not a literal. */
  dynamic: { key: string; file: string }[];
}

/** Comments would otherwise yield reads that don't exist (or hide real ones if stripped by regex). */
function withoutComments(file: string, text: string): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  return ts.createPrinter({ removeComments: true }).printFile(source);
}

/**
 * Expands a string or template literal's body into the names it can take:
 * an interpolation is taken to stand for a department (`${upper(name)}_PORT`),
 * the only kind of family of variables this code base has.
 */
function expand(body: string): string[] {
  if (!body.includes('${')) return [body];
  return DEPARTMENT_PREFIXES.map((prefix) => body.replace(/\$\{[^}]*\}/g, prefix));
}

/** `'X'`, `"X"` or `` `X` `` → its body; anything else (an identifier, a call) → undefined. */
function literalBody(expression: string): string | undefined {
  const match = /^\s*(['"`])((?:(?!\1)[^\\]|\\.)*)\1\s*$/.exec(expression);
  return match ? match[2] : undefined;
}

function scanSource(file: string, rawText: string, found: Found): void {
  const text = withoutComments(file, rawText);
  const add = (names: string[]) => names.forEach((name) => found.names.push({ name, file }));
  const ENV = String.raw`\b(?:process\s*\.\s*)?env`;

  // process.env.X, env.X, env?.X — for a bare `env` only UPPER_CASE names, so unrelated `env.foo` objects don't count.
  for (const m of text.matchAll(/\bprocess\s*\.\s*env\s*\??\.\s*([A-Za-z_$][\w$]*)/g)) add([m[1]!]);
  for (const m of text.matchAll(new RegExp(String.raw`(?<!process\s*\.\s*)\benv\s*\??\.\s*([A-Z_][A-Z0-9_]*)\b`, 'g'))) add([m[1]!]);

  // env['X'], env[`${upper(name)}_X`], env[name]
  for (const m of text.matchAll(new RegExp(String.raw`${ENV}\s*(?:\?\.)?\s*\[([^\]]*)\]`, 'g'))) {
    const key = m[1]!.trim();
    const body = literalBody(key);
    if (body !== undefined) add(expand(body));
    else found.dynamic.push({ key, file });
  }

  // helper(env, 'X', ...) — helpers that take the environment and a name, like intFrom.
  for (const m of text.matchAll(new RegExp(String.raw`\(\s*${ENV}\s*,\s*(['"\`])((?:(?!\1)[^\\]|\\.)*)\1`, 'g'))) add(expand(m[2]!));

  // const { X, Y: y, Z = 'd' } = process.env
  for (const m of text.matchAll(new RegExp(String.raw`\{([^{}]*)\}\s*=\s*${ENV}\b(?!\s*[.[?])`, 'g'))) {
    const names = m[1]!
      .split(',')
      .map((part) => part.trim().replace(/^\.\.\./, '').split(/[:=]/)[0]!.trim())
      .filter((name) => name !== '');
    add(names.map((name) => literalBody(name) ?? name));
  }

  // Object.entries(env) / Object.keys(process.env) with an anchored regex naming a family of variables.
  if (new RegExp(String.raw`Object\s*\.\s*(?:entries|keys)\s*\(\s*${ENV}\s*\)`).test(text)) {
    for (const m of text.matchAll(/\/(\^[^/\n]*_[A-Z][A-Z0-9_]*\$)\/[a-z]*/g)) {
      found.patterns.push({ pattern: new RegExp(m[1]!), file });
    }
  }
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return SOURCE_EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function scanRepository(): Found {
  const found: Found = { names: [], patterns: [], dynamic: [] };
  for (const dir of SCANNED_DIRS) {
    for (const file of sourceFiles(path.join(ROOT_DIR, dir))) {
      const relative = path.relative(ROOT_DIR, file).split(path.sep).join('/');
      scanSource(relative, fs.readFileSync(file, 'utf8'), found);
    }
  }
  return found;
}

function scanSnippet(text: string): Found {
  const found: Found = { names: [], patterns: [], dynamic: [] };
  scanSource('snippet.ts', text, found);
  return found;
}

const documented = new Set(ENVIRONMENT_VARIABLES.map((variable) => variable.name));

describe('the environment scan', () => {
  it('finds each form of read', () => {
    const found = scanSnippet(`
      const a = process.env.ALPHA ?? 'x';
      const b = process.env['BRAVO'];
      const c = env.CHARLIE;
      const d = env?.DELTA;
      const e = env[\`\${upper(name)}_ECHO\`];
      const f = intFrom(env, 'FOXTROT', 3);
      const g = intFrom(process.env, \`\${name.toUpperCase()}_GOLF\`, 3);
      const { HOTEL, INDIA: india, JULIET = 'j' } = process.env;
      const k = env.lowercase; // not an environment name: bare env objects only count in UPPER_CASE
      // process.env.IN_A_COMMENT
      /* env.IN_A_BLOCK_COMMENT */
    `);
    const names = found.names.map((n) => n.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'ALPHA',
        'BRAVO',
        'CHARLIE',
        'DELTA',
        ...DEPARTMENT_PREFIXES.map((p) => `${p}_ECHO`),
        'FOXTROT',
        ...DEPARTMENT_PREFIXES.map((p) => `${p}_GOLF`),
        'HOTEL',
        'INDIA',
        'JULIET',
      ]),
    );
    expect(names).not.toContain('lowercase');
    expect(names).not.toContain('IN_A_COMMENT');
    expect(names).not.toContain('IN_A_BLOCK_COMMENT');
    expect(found.dynamic).toEqual([]);
  });

  it('reports a read whose name it cannot see', () => {
    expect(scanSnippet('const v = process.env[key];').dynamic).toEqual([{ key: 'key', file: 'snippet.ts' }]);
  });

  it('does not take the environment passed whole to a function as a read', () => {
    expect(scanSnippet('gatewayConfig(process.env, process.argv.slice(2)); const e: Env = process.env;').names).toEqual([]);
  });

  it('takes a regex over an enumerated environment as a family of names', () => {
    const found = scanSnippet(`
      for (const [name, value] of Object.entries(env)) {
        const match = /^([A-Z0-9_]+)_SUBGRAPH_URL$/.exec(name);
      }
    `);
    expect(found.patterns.map((p) => p.pattern.source)).toEqual(['^([A-Z0-9_]+)_SUBGRAPH_URL$']);
  });

  it('finds the reads known to exist, so an empty scan cannot pass', () => {
    const names = new Set(scanRepository().names.map((n) => n.name));
    for (const name of ['HOST', 'LOG_LEVEL', 'DATA_DIR', 'DATABASE_URL', 'GATEWAY_PORT', 'SUBGRAPH_TIMEOUT_MS', 'MARKET_PORT', 'CREDIT_DATABASE_URL']) {
      expect(names).toContain(name);
    }
  });
});

describe('ENVIRONMENT_VARIABLES', () => {
  const found = scanRepository();

  it('lists every variable read under lib/, gateway/ and subgraphs/', () => {
    const undocumented = found.names.filter((n) => !documented.has(n.name)).map((n) => `${n.name} (${n.file})`);
    expect([...new Set(undocumented)]).toEqual([]);
  });

  it('lists at least one variable of each family the code matches by pattern', () => {
    const unmatched = found.patterns
      .filter((p) => !ENVIRONMENT_VARIABLES.some((variable) => p.pattern.test(variable.name)))
      .map((p) => `${p.pattern} (${p.file})`);
    expect(unmatched).toEqual([]);
  });

  it('has no read by a computed name other than the allowed ones', () => {
    const unexplained = found.dynamic
      .filter((d) => !ALLOWED_DYNAMIC_READS.some((allowed) => allowed.file === d.file && allowed.key === d.key))
      .map((d) => `env[${d.key}] in ${d.file}: read by a literal name (or a \`\${dept}_X\` template), or add it to ALLOWED_DYNAMIC_READS with the reason`);
    expect(unexplained).toEqual([]);
  });

  it('lists only variables some code reads', () => {
    const read = new Set(found.names.map((n) => n.name));
    const unread = ENVIRONMENT_VARIABLES.map((v) => v.name).filter(
      (name) => !read.has(name) && !found.patterns.some((p) => p.pattern.test(name)) && !NOT_YET_READ.has(name),
    );
    expect(unread).toEqual([]);
  });

  it('names each variable once, with services and a description', () => {
    expect(documented.size).toBe(ENVIRONMENT_VARIABLES.length);
    for (const variable of ENVIRONMENT_VARIABLES) {
      expect(variable.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(variable.services.length).toBeGreaterThan(0);
      expect(variable.description.length).toBeGreaterThan(10);
    }
  });

  it('states the defaults the code actually applies', () => {
    // An empty DATA_DIR: the repository's own data/ may hold a demo's embedded cluster.
    const emptyDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-config-'));
    const subgraph = subgraphConfig('market', { DATA_DIR: emptyDataDir });
    const gateway = gatewayConfig({});
    const byName = new Map(ENVIRONMENT_VARIABLES.map((v) => [v.name, v.default]));
    expect(byName.get('HOST')).toBe(subgraph.host);
    expect(byName.get('HOST')).toBe(gateway.host);
    expect(byName.get('LOG_LEVEL')).toBe(subgraph.logLevel);
    expect(byName.get('GATEWAY_PORT')).toBe(String(gateway.port));
    expect(byName.get('SUBGRAPH_TIMEOUT_MS')).toBe(String(gateway.subgraphTimeoutMs));
    expect(byName.get('DATABASE_URL')).toBe('');
    expect(subgraph.databaseUrl).toBeUndefined();
    for (const department of DEPARTMENTS) {
      expect(byName.get(`${department.name.toUpperCase()}_PORT`)).toBe(String(subgraphConfig(department.name, {}).port));
    }
    expect(byName.get('POSTGRES_PORT')).toBe(String(postgresPort({})));
    fs.rmSync(emptyDataDir, { recursive: true, force: true });
  });

  it("finds each department's own database in the embedded cluster of DATA_DIR, unless a URL says otherwise", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-config-'));
    const login = (user: string) => ({ user, password: `pw-${user}` });
    writeLocalCluster(dataDir, {
      host: '127.0.0.1',
      port: 54999,
      ownerPid: null,
      superuser: login('postgres'),
      departments: Object.fromEntries(DEPARTMENTS.map((d) => [d.name, { ...login(d.name), database: d.name }])) as never,
    });
    expect(subgraphConfig('tax', { DATA_DIR: dataDir }).databaseUrl).toBe('postgres://tax:pw-tax@127.0.0.1:54999/tax');
    expect(subgraphConfig('tax', { DATA_DIR: dataDir, DATABASE_URL: 'postgres://shared/db' }).databaseUrl).toBe('postgres://shared/db');
    expect(subgraphConfig('tax', { DATA_DIR: dataDir, DATABASE_URL: 'postgres://shared/db', TAX_DATABASE_URL: 'postgres://own/tax' }).databaseUrl).toBe('postgres://own/tax');
    expect(() => postgresPort({ POSTGRES_PORT: 'five' })).toThrow(/POSTGRES_PORT must be a non-negative integer, got 'five'/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
