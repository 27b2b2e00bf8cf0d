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

export function componentSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries([...registry].map(([name, schema]) => [name, jsonSchema(schema, 'output')]));
}
