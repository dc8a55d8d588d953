import { inspect } from 'node:util';

/** A cached value for people: `util.inspect`, deep enough for documents, never colored. */
export function renderValue(value: unknown): string {
  return inspect(value, { depth: 8, colors: false, maxArrayLength: 200, maxStringLength: 10_000, breakLength: 120 });
}

/**
 * `JSON.stringify` for what a cache may hold beyond JSON: bigint as a string, Map as an object
 * of its entries, Set as an array, bytes as base64, undefined as null.
 */
export function toJson(data: unknown): string {
  return JSON.stringify(data, function replacer(this: unknown, key: string, value: unknown) {
    // Buffer has its own toJSON, which runs before the replacer; read the original instead
    const original = key === '' ? value : (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), v]));
    if (value instanceof Set) return [...value];
    return value === undefined && key !== '' ? null : value;
  });
}
