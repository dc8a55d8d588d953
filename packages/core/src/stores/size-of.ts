/**
 * A quick estimate of a value's size in bytes, for the memory tier's byte bound.
 * Strings count 2 bytes a character (UTF-16), binary its length, objects their fields.
 */
export function sizeOf(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return 2 * value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 4;
    case 'object':
      return value === null ? 0 : objectSize(value, depth);
    default:
      return 0;
  }
}

function objectSize(value: object, depth: number): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof Date) return 8;
  // deep or cyclic structures are not walked to the end; the estimate stays bounded
  if (depth > 8) return 64;
  let size = 16;
  if (Array.isArray(value)) {
    for (const item of value) size += 8 + sizeOf(item, depth + 1);
    return size;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) size += sizeOf(k, depth + 1) + sizeOf(v, depth + 1);
    return size;
  }
  if (value instanceof Set) {
    for (const item of value) size += 8 + sizeOf(item, depth + 1);
    return size;
  }
  for (const key in value) {
    size += 2 * key.length + sizeOf((value as Record<string, unknown>)[key], depth + 1);
  }
  return size;
}
