/**
 * Text a database refuses would fail a whole batch and stall the pipeline on retries: NUL
 * (PostgreSQL text and jsonb reject it) and unpaired UTF-16 surrogates (invalid in jsonb and
 * UTF-8). Device-controlled strings are checked (stored JSON) or cleaned (quarantine rows).
 */

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNPAIRED_SURROGATE_ALL = new RegExp(UNPAIRED_SURROGATE.source, 'g');

function badString(text: string): boolean {
  return text.includes('\u0000') || UNPAIRED_SURROGATE.test(text);
}

/** True when any key or string value, at any depth, holds text the database cannot store. */
export function hasUnstorableText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return badString(value);
  if (depth > 32 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasUnstorableText(item, depth + 1));
  return Object.entries(value).some(([key, inner]) => badString(key) || hasUnstorableText(inner, depth + 1));
}

/** The text with NUL and unpaired surrogates replaced by U+FFFD, cut to `maxChars`. */
export function storableText(text: string, maxChars: number): string {
  const cut = text.length > maxChars ? text.slice(0, maxChars) : text;
  return cut.replace(/\u0000/g, '\uFFFD').replace(UNPAIRED_SURROGATE_ALL, '\uFFFD');
}
