import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SchemaRegistry, type SchemaIssue } from './schema-subset.js';
import { DRIVER_PROTOCOL_VERSIONS, requestSchemaId, responseSchemaId, type DriverCommand, type DriverProtocolVersion } from './protocol.js';

/** schemas/driver/v1/ at the repository root. */
export const DRIVER_SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/driver/v1/', import.meta.url));

let registry: SchemaRegistry | undefined;

/** schemas/driver/v<n>/ at the repository root. */
export function driverSchemaDir(version: DriverProtocolVersion): string {
  return fileURLToPath(new URL(`../../../schemas/driver/v${version}/`, import.meta.url));
}

/** The registry holding every driver protocol schema, v1 and v2 (loaded once). */
export function driverSchemas(): SchemaRegistry {
  if (registry !== undefined) return registry;
  const loaded = new SchemaRegistry();
  for (const version of DRIVER_PROTOCOL_VERSIONS) {
    const dir = driverSchemaDir(version);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      loaded.add(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>);
    }
  }
  registry = loaded;
  return loaded;
}

export function validateRequest(cmd: DriverCommand, message: unknown, version: DriverProtocolVersion = 1): SchemaIssue[] {
  return driverSchemas().validate(requestSchemaId(cmd, version), message);
}

export function validateResponse(cmd: DriverCommand, message: unknown, version: DriverProtocolVersion = 1): SchemaIssue[] {
  return driverSchemas().validate(responseSchemaId(cmd, version), message);
}

export function formatIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
}
