import { applyDecorators, Body, Param, type PipeTransform, Query } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { hiddenCharacterProblem, isStorable, type TextLines } from '../text/hidden-characters';
import { badRequest, ErrorBody, type ErrorDetail } from './error-body';
import { jsonSchema, responseSchema } from './openapi-schemas';

/**
 * The type a validated parameter has. Controllers write `Parsed<typeof Schema>`
 * rather than a same-named type alias: decorator metadata would otherwise name
 * the schema object as the parameter's class.
 */
export type Parsed<S extends z.ZodType> = z.output<S>;

const checkText = (lines: TextLines) => (text: string, context: z.RefinementCtx) => {
  const problem = hiddenCharacterProblem(text, lines);
  if (problem) context.addIssue({ code: 'custom', message: problem });
};

/**
 * A name or title that devices, consoles and reports show (endpoint, media,
 * programme, alert, team, topic, person): trimmed, one line, and free of
 * characters that hide or change what is shown (see hidden-characters.ts).
 */
export const LineText = z.string().trim().superRefine(checkText('single'));

/** Free text a person types over lines (notes, summaries, comments, reasons, text to speak): as LineText, but tabs and line breaks stay. */
export const PlainText = z
  .string()
  .trim()
  .overwrite((text) => text.replace(/\r\n?/g, '\n'))
  .superRefine(checkText('multi'));

// Deeper than any body the API takes; JSON parsing refuses deeper bodies before this, so the walk below stays shallow.
export const MAX_INPUT_DEPTH = 32;

/**
 * The first place in a request value (body, query or path) that no schema may
 * see: a string or key Postgres cannot store (NUL, a lone surrogate), or
 * nesting past MAX_INPUT_DEPTH. Checked for every route, whatever its schema
 * says about the field, so a password or a free-form payload is covered too.
 */
export function unstorableAt(value: unknown, path: string[], depth = 0): ErrorDetail | null {
  if (typeof value === 'string')
    return isStorable(value)
      ? null
      : { path: path.join('.'), message: 'must not contain NUL or unpaired surrogate characters' };
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= MAX_INPUT_DEPTH)
    return { path: path.join('.'), message: `is nested more than ${MAX_INPUT_DEPTH} levels deep` };
  for (const [key, item] of Object.entries(value)) {
    if (!isStorable(key))
      return { path: path.join('.'), message: 'has a key with a NUL or unpaired surrogate character' };
    const found = unstorableAt(item, [...path, key], depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Validates a value against a schema; a failure is a 400 with one detail per
 * field. prefix names where the value sits, e.g. ['body'] or ['path', 'code'].
 */
export function parseOrReject<S extends z.ZodType>(schema: S, value: unknown, prefix: string[]): z.output<S> {
  const unstorable = unstorableAt(value, prefix);
  if (unstorable) throw badRequest(`Invalid request: ${unstorable.path} ${unstorable.message}`, [unstorable]);
  const result = schema.safeParse(value ?? (prefix[0] === 'query' ? {} : undefined));
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw badRequest(`Invalid request: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
}

class ZodPipe implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    private readonly prefix: string[],
  ) {}

  transform(value: unknown): unknown {
    return parseOrReject(this.schema, value, this.prefix);
  }
}

// Parameter decorators that validate and also document: the descriptor is
// looked up so the OpenAPI metadata lands on the route method.
const onMethod = (target: object, key: string | symbol | undefined, decorator: MethodDecorator) =>
  decorator(target, key!, Object.getOwnPropertyDescriptor(target, key!)!);

/** The JSON body, validated; a failure is a 400 with one detail per field. */
export const ValidBody =
  (schema: z.ZodType, description?: string): ParameterDecorator =>
  (target, key, index) => {
    Body(new ZodPipe(schema, ['body']))(target, key, index);
    onMethod(target, key, ApiBody({ schema: jsonSchema(schema, 'input'), description }));
  };

/** The query string, validated as an object schema; each property is documented as a parameter. */
export const ValidQuery =
  (schema: z.ZodObject): ParameterDecorator =>
  (target, key, index) => {
    Query(new ZodPipe(schema, ['query']))(target, key, index);
    const properties = (jsonSchema(schema, 'input').properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((jsonSchema(schema, 'input').required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      onMethod(
        target,
        key,
        ApiQuery({ name, required: required.has(name), schema: property, description: property.description as string }),
      );
    }
  };

/** One path parameter, validated. */
export const ValidParam =
  (name: string, schema: z.ZodType): ParameterDecorator =>
  (target, key, index) => {
    Param(name, new ZodPipe(schema, ['path', name]))(target, key, index);
    onMethod(target, key, ApiParam({ name, schema: jsonSchema(schema, 'input') }));
  };

/** Documents the success response and the errors a route can answer with. */
export function ApiResult(
  status: number,
  schema: z.ZodType | null,
  description: string,
  errors: Record<number, string> = {},
) {
  return applyDecorators(
    ApiResponse({ status, description, ...(schema ? { schema: responseSchema(schema) } : {}) }),
    ...Object.entries(errors).map(([code, why]) =>
      ApiResponse({ status: Number(code), description: why, schema: responseSchema(ErrorBody) }),
    ),
  );
}
