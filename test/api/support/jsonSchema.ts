/**
 * A small JSON Schema (2020-12) checker for the keywords the OpenAPI document uses, so a test can
 * ask "would a client validating against the published schema refuse this body?". It throws on a
 * keyword it does not know rather than silently accepting.
 */
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set([
  'description',
  'example',
  'examples',
  'title',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$comment',
  '$schema',
  '$id',
  'id',
]);

const KNOWN = new Set([
  ...ANNOTATIONS,
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'propertyNames',
]);

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Every place `value` breaks `schema`, as "path: keyword"; empty when it is valid. */
export function schemaViolations(root: Record<string, unknown>, schema: Schema, value: unknown, path = ''): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path || '(root)'}: false`];
  const out: string[] = [];
  const at = (keyword: string) => `${path || '(root)'}: ${keyword}`;
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`jsonSchema: unsupported keyword "${keyword}" at ${path || '(root)'}`);
  }
  const s = schema;

  if (typeof s.$ref === 'string') {
    const ref = s.$ref;
    const prefix = '#/components/schemas/';
    if (!ref.startsWith(prefix)) throw new Error(`jsonSchema: unsupported $ref ${ref}`);
    const components = (root.components as { schemas: Record<string, Schema> }).schemas;
    const target = components[ref.slice(prefix.length)];
    if (target === undefined) return [at(`$ref to missing ${ref}`)];
    out.push(...schemaViolations(root, target, value, path));
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((type) => typeMatches(value, type))) return [...out, at(`type ${types.join('|')}`)];
  }
  if (Array.isArray(s.enum) && !s.enum.some((option) => option === value)) out.push(at('enum'));
  if ('const' in s && s.const !== value) out.push(at('const'));
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) out.push(...schemaViolations(root, sub, value, path));
  if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => schemaViolations(root, sub, value, path).length === 0)) {
    out.push(at('anyOf'));
  }
  if (Array.isArray(s.oneOf) && (s.oneOf as Schema[]).filter((sub) => schemaViolations(root, sub, value, path).length === 0).length !== 1) {
    out.push(at('oneOf'));
  }
  if (s.not !== undefined && schemaViolations(root, s.not as Schema, value, path).length === 0) out.push(at('not'));

  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) out.push(at('minLength'));
    if (typeof s.maxLength === 'number' && length > s.maxLength) out.push(at('maxLength'));
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) out.push(at('pattern'));
    if (s.format === 'date' && !isCalendarDate(value)) out.push(at('format date'));
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) out.push(at('minimum'));
    if (typeof s.maximum === 'number' && value > s.maximum) out.push(at('maximum'));
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) out.push(at('exclusiveMinimum'));
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) out.push(at('exclusiveMaximum'));
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) out.push(at('minItems'));
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) out.push(at('maxItems'));
    if (s.items !== undefined) {
      value.forEach((item, index) => out.push(...schemaViolations(root, s.items as Schema, item, `${path}[${index}]`)));
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    for (const name of (s.required ?? []) as string[]) {
      if (!(name in object)) out.push(`${path ? `${path}.` : ''}${name}: required`);
    }
    for (const [name, propertyValue] of Object.entries(object)) {
      const propertyPath = path ? `${path}.${name}` : name;
      if (name in properties) out.push(...schemaViolations(root, properties[name]!, propertyValue, propertyPath));
      else if (s.additionalProperties !== undefined) {
        out.push(...schemaViolations(root, s.additionalProperties as Schema, propertyValue, propertyPath));
      }
      if (s.propertyNames !== undefined) out.push(...schemaViolations(root, s.propertyNames as Schema, name, propertyPath));
    }
  }
  return out;
}
