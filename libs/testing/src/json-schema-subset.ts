import { JsonSchema } from '@sc/messaging/mqtt/schemas';

/**
 * A validator for the subset of JSON Schema the contract's schemas use (libs/messaging
 * schemas.ts), so tests can check examples without a schema library. It refuses a schema that
 * uses any other keyword, so it cannot silently ignore a constraint it does not know.
 */

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'format', 'examples']);
const ASSERTIONS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'minLength',
  'maxLength',
  'pattern',
  'oneOf',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeOf(value) === 'object';
}

/** The errors of `value` against `schema`, each as "path: message"; empty when it is valid. */
export function schemaErrors(schema: JsonSchema, value: unknown, path = '$'): string[] {
  for (const keyword of Object.keys(schema)) {
    if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword)) throw new Error(`schema keyword ${keyword} at ${path} is not supported`);
  }
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${path}: ${message}`);
  if (schema.type) {
    const actual = typeOf(value);
    const fits = actual === schema.type || (schema.type === 'number' && actual === 'integer');
    if (!fits) return [`${path}: expected ${schema.type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) fail(`not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) fail(`below minimum ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) fail(`above maximum ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) fail(`not above ${schema.exclusiveMinimum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && [...value].length < schema.minLength) fail(`shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) fail(`longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) fail(`does not match ${schema.pattern}`);
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    for (const key of schema.required ?? []) if (!(key in value)) fail(`missing ${key}`);
    if (schema.minProperties !== undefined && keys.length < schema.minProperties) fail(`fewer than ${schema.minProperties} members`);
    for (const key of keys) {
      const inner = schema.properties?.[key];
      if (inner) errors.push(...schemaErrors(inner, value[key], `${path}.${key}`));
      else if (schema.additionalProperties === false) fail(`unexpected member ${key}`);
      else if (isObject(schema.additionalProperties)) errors.push(...schemaErrors(schema.additionalProperties as JsonSchema, value[key], `${path}.${key}`));
    }
  }
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => schemaErrors(option, value, path).length === 0).length;
    if (matching !== 1) fail(`matches ${matching} of the oneOf alternatives, not exactly one`);
  }
  return errors;
}
