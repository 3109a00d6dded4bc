/** Query parameters for the OpenAPI document, from the zod schema a handler parses them with. */
import { z } from 'zod';

/**
 * Required when the schema refuses their absence; named schemas are referred to in components
 * (a `$defs` of the parameter's own would leave its `#/$defs/…` reference dangling in the document).
 */
export function queryParameters(schema: z.ZodObject) {
  return Object.entries(schema.shape).map(([name, property]) => {
    const { $schema: _schema, $defs: _defs, ...json } = z.toJSONSchema(property as z.ZodType, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
    // Every named schema is in components already (openapi.ts: componentSchemas); point there instead.
    const schemaJson = JSON.parse(JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
    return { name, in: 'query', required: !(property as z.ZodType).safeParse(undefined).success, schema: schemaJson };
  });
}

/** The `Idempotency-Key` header, as every route that takes one documents it (src/api/casesRoutes.ts reads it). */
export const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'Repeating a request with the same key changes nothing more: a case action answers with the case as it is then, with the first request applied once',
  schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
};
