/**
 * The departments of the graph: the subgraph name, the `Department` enum
 * value clients see, and the default port (API.md).
 */
export const DEPARTMENTS = [
  { name: 'market', department: 'MARKET', port: 4001, title: 'Market supervision' },
  { name: 'tax', department: 'TAX', port: 4002, title: 'Taxation' },
  { name: 'courts', department: 'COURTS', port: 4003, title: 'People\'s courts' },
  { name: 'environment', department: 'ENVIRONMENT', port: 4004, title: 'Ecology and environment' },
  { name: 'credit', department: 'CREDIT_OFFICE', port: 4005, title: 'Public credit platform (credit office)' },
] as const;

export type SubgraphName = (typeof DEPARTMENTS)[number]['name'];
export type DepartmentEnum = (typeof DEPARTMENTS)[number]['department'];

export const GATEWAY_PORT = 4000;

export function departmentOf(name: string): (typeof DEPARTMENTS)[number] {
  const found = DEPARTMENTS.find((d) => d.name === name);
  if (!found) throw new Error(`unknown subgraph: ${name}`);
  return found;
}
