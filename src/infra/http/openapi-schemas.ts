import { z } from 'zod';

// Request and response shapes are zod schemas: one definition validates a
// request and documents it in OpenAPI. Response shapes given a name become
// OpenAPI components; request shapes are documented inline where they are used.

const names = new WeakMap<z.ZodType, string>();
const registry = new Map<string, z.ZodType>();

/** Registers a response schema as an OpenAPI component with this name. */
export function named<T extends z.ZodType>(name: string, schema: T): T {
  names.set(schema, name);
  registry.set(name, schema);
  return schema;
}

export type JsonSchema = Record<string, unknown>;

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return json;
}

/** A reference to the component when the response schema is named, else the schema inline. */
export function responseSchema(schema: z.ZodType): JsonSchema {
  const name = names.get(schema);
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output');
}

/**
 * The named response schemas, by name: registration follows module import
 * order, which moves whenever code moves between modules, and the document
 * should change only when a schema does.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    [...registry].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, schema]) => [name, jsonSchema(schema, 'output')]),
  );
}
