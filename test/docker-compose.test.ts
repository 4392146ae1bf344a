/**
 * No Docker engine runs where the tests do, so docker-compose.yml is checked
 * as data: the services a deployment needs, the variables the code requires
 * of each (ENVIRONMENT_VARIABLES), the ports of lib/departments.ts, health
 * checks, and a start order that waits for what each service talks to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, ROOT_DIR, WEB_PORT, type ServiceName } from '../lib/config';
import { DEPARTMENTS, GATEWAY_PORT } from '../lib/departments';

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: number | string })[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  configs?: (string | { source: string; target?: string })[];
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  configs?: Record<string, { content?: string; file?: string }>;
}

// `merge: true` resolves the `<<: *app` keys the way Compose does.
const compose = parse(fs.readFileSync(path.join(ROOT_DIR, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const services = compose.services;

const APP_SERVICES: ServiceName[] = ['gateway', ...DEPARTMENTS.map((d) => d.name), 'web'];
const upper = (name: string) => name.toUpperCase();

/** Compose accepts both the map and the `KEY=value` list form. */
function environmentOf(name: string): Record<string, string> {
  const environment = services[name]?.environment ?? {};
  const entries = Array.isArray(environment)
    ? environment.map((item) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]);
  return Object.fromEntries(entries);
}

function dependsOn(name: string): Record<string, string | undefined> {
  const dependencies = services[name]?.depends_on ?? {};
  if (Array.isArray(dependencies)) return Object.fromEntries(dependencies.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(dependencies).map(([d, options]) => [d, options?.condition]));
}

function healthcheckText(name: string): string {
  const test = services[name]?.healthcheck?.test;
  return Array.isArray(test) ? test.join(' ') : (test ?? '');
}

function commandText(name: string): string {
  const command = services[name]?.command;
  return Array.isArray(command) ? command.join(' ') : (command ?? '');
}

describe('docker-compose.yml', () => {
  it('has the infrastructure, the five subgraphs, the gateway and the website, and nothing unknown', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', ...APP_SERVICES].sort());
    expect(services.postgres?.image).toMatch(/^postgres:16\b/);
    expect(services.redis?.image).toMatch(/^redis:7\b/);
  });

  it('runs every service of the graph from the one image, chosen by the command', () => {
    const images = new Set(APP_SERVICES.map((name) => services[name]?.image));
    expect(images.size).toBe(1);
    for (const name of APP_SERVICES) {
      expect(services[name]?.build).toBeDefined();
      const entry = name === 'gateway' || name === 'web' ? `${name}/main.ts` : `subgraphs/${name}/main.ts`;
      // One node process with the tsx loader, not `npx tsx`, which drops SIGTERM (see Dockerfile).
      expect(commandText(name)).toBe(`node --import tsx ${entry}`);
    }
  });

  it('sets on each service every variable the code needs set in a container', () => {
    for (const name of APP_SERVICES) {
      const required = ENVIRONMENT_VARIABLES.filter((v) => v.requiredInCompose && v.services.includes(name)).map((v) => v.name);
      const environment = environmentOf(name);
      const missing = required.filter((variable) => !environment[variable]);
      expect({ service: name, missing }).toEqual({ service: name, missing: [] });
    }
  });

  it('sets only variables the service reads (no dead configuration)', () => {
    for (const name of APP_SERVICES) {
      const dead = Object.keys(environmentOf(name)).filter(
        (variable) => !ENVIRONMENT_VARIABLES.some((v) => v.name === variable && v.services.includes(name)),
      );
      expect({ service: name, dead }).toEqual({ service: name, dead: [] });
    }
  });

  it('listens on 0.0.0.0 so the other containers can reach each service', () => {
    for (const name of APP_SERVICES) expect(environmentOf(name).HOST).toBe('0.0.0.0');
  });

  it('uses the ports of lib/departments.ts for ports, health checks and the gateway\'s subgraph URLs', () => {
    const gateway = environmentOf('gateway');
    for (const department of DEPARTMENTS) {
      const environment = environmentOf(department.name);
      expect(environment[`${upper(department.name)}_PORT`]).toBe(String(department.port));
      expect((services[department.name]?.expose ?? []).map(String)).toEqual([String(department.port)]);
      expect(services[department.name]?.ports).toBeUndefined();
      expect(healthcheckText(department.name)).toContain(`http://127.0.0.1:${department.port}/readyz`);
      expect(gateway[`${upper(department.name)}_SUBGRAPH_URL`]).toBe(`http://${department.name}:${department.port}/graphql`);
    }
    expect(gateway.GATEWAY_PORT).toBe(String(GATEWAY_PORT));
    expect(services.gateway?.ports).toEqual([`${GATEWAY_PORT}:${GATEWAY_PORT}`]);
    expect(healthcheckText('gateway')).toContain(`http://127.0.0.1:${GATEWAY_PORT}/readyz`);
    // The website: published, and reaching the graph only through the gateway's public API.
    const web = environmentOf('web');
    expect(web.WEB_PORT).toBe(String(WEB_PORT));
    expect(services.web?.ports).toEqual([`${WEB_PORT}:${WEB_PORT}`]);
    expect(healthcheckText('web')).toContain(`http://127.0.0.1:${WEB_PORT}/readyz`);
    expect(web.WEB_GATEWAY_URL).toBe(`http://gateway:${GATEWAY_PORT}/graphql`);
    expect(environmentOf('credit').CREDIT_REPORT_VERIFY_URL).toBe(`http://localhost:${WEB_PORT}/verify/`);
  });

  it('health-checks every service, the graph\'s with Node (the slim image has no curl)', () => {
    for (const name of Object.keys(services)) {
      expect(services[name]?.healthcheck?.disable).not.toBe(true);
      expect(healthcheckText(name)).not.toBe('');
    }
    expect(healthcheckText('postgres')).toContain('pg_isready');
    expect(healthcheckText('redis')).toContain('redis-cli ping');
    for (const name of APP_SERVICES) {
      expect(healthcheckText(name)).toMatch(/^CMD node -e fetch\(/);
      expect(healthcheckText(name)).not.toMatch(/\bcurl\b|\bwget\b/);
    }
  });

  it('starts each service after what it talks to is healthy', () => {
    for (const department of DEPARTMENTS) {
      expect(dependsOn(department.name)).toEqual({ postgres: 'service_healthy' });
    }
    expect(dependsOn('web')).toEqual({ gateway: 'service_healthy' });
    expect(dependsOn('gateway')).toEqual({
      redis: 'service_healthy',
      ...Object.fromEntries(DEPARTMENTS.map((d) => [d.name, 'service_healthy'])),
    });
    // Every dependency named is a service that exists and is health-checked.
    for (const name of Object.keys(services)) {
      for (const dependency of Object.keys(dependsOn(name))) {
        expect(services[dependency]).toBeDefined();
        expect(healthcheckText(dependency)).not.toBe('');
      }
    }
  });

  it('points each department at its own role and schema in the one creditgraph database', () => {
    expect(environmentOf('postgres').POSTGRES_DB).toBe('creditgraph');
    const roles = compose.configs?.['postgres-roles']?.content ?? '';
    expect(services.postgres?.configs).toEqual([
      { source: 'postgres-roles', target: expect.stringMatching(/^\/docker-entrypoint-initdb\.d\/.+\.sql$/) },
    ]);
    for (const department of DEPARTMENTS) {
      const url = new URL(environmentOf(department.name)[`${upper(department.name)}_DATABASE_URL`] ?? '');
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('postgres');
      expect(url.port).toBe('5432');
      expect(url.pathname).toBe('/creditgraph');
      // The role is the department, so it owns exactly the schema lib/db.ts creates for it.
      expect(url.username).toBe(department.name);
      expect(roles).toContain(`CREATE ROLE ${url.username} LOGIN PASSWORD '${decodeURIComponent(url.password)}';`);
      expect(roles).toMatch(new RegExp(`GRANT CONNECT, CREATE ON DATABASE creditgraph TO [^;]*\\b${department.name}\\b`));
    }
  });

  it('gives the gateway the shared Redis, not the per-process cache', () => {
    expect(environmentOf('gateway').REDIS_URL).toBe('redis://redis:6379');
  });
});
