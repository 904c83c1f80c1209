/**
 * Rebuilds plain data with a fixed key order, so equal reports serialise to equal bytes whatever order
 * their objects were built in: known fields in a declared order, any other field alphabetically.
 */

/** The declared key order of one object type, and the shapes of its nested fields. */
export interface KeyShape {
  readonly keys: readonly string[];
  readonly nested?: Readonly<Record<string, KeyShape>>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Arrays keep their order (it is meaningful); objects are rebuilt, recursing with the nested shapes. */
export function orderKeys(value: unknown, shape?: KeyShape): unknown {
  if (Array.isArray(value)) return value.map((item) => orderKeys(item, shape));
  if (!isPlainObject(value)) return value;
  const known = shape?.keys ?? [];
  const others = Object.keys(value)
    .filter((key) => !known.includes(key))
    .sort();
  const result: Record<string, unknown> = {};
  for (const key of [...known, ...others]) {
    if (Object.hasOwn(value, key)) result[key] = orderKeys(value[key], shape?.nested?.[key]);
  }
  return result;
}

/** One line of JSON for an expected or actual value; `undefined` and unserialisable values still print. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(orderKeys(value)) ?? String(value);
  } catch {
    // A BigInt or a cycle: the report must still render, so fall back to the value's own text.
    return String(value);
  }
}

export { isPlainObject };
