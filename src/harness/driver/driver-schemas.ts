import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SchemaRegistry, type SchemaIssue } from './schema-subset.js';
import { requestSchemaId, responseSchemaId, type DriverCommand } from './protocol.js';

/** schemas/driver/v1/ at the repository root. */
export const DRIVER_SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/driver/v1/', import.meta.url));

let registry: SchemaRegistry | undefined;

/** The registry holding every driver protocol v1 schema (loaded once). */
export function driverSchemas(): SchemaRegistry {
  if (registry !== undefined) return registry;
  const loaded = new SchemaRegistry();
  for (const file of readdirSync(DRIVER_SCHEMA_DIR).filter((f) => f.endsWith('.json')).sort()) {
    loaded.add(JSON.parse(readFileSync(join(DRIVER_SCHEMA_DIR, file), 'utf8')) as Record<string, unknown>);
  }
  registry = loaded;
  return loaded;
}

export function validateRequest(cmd: DriverCommand, message: unknown): SchemaIssue[] {
  return driverSchemas().validate(requestSchemaId(cmd), message);
}

export function validateResponse(cmd: DriverCommand, message: unknown): SchemaIssue[] {
  return driverSchemas().validate(responseSchemaId(cmd), message);
}

export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
}
