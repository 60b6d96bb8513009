/** `T` with every nested property and array made readonly. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * Freezes `value` and everything reachable from it (plain objects and
 * arrays), so a configuration cannot be changed after it was validated:
 * assigning to it throws in strict-mode code. Typed arrays and Buffers are
 * left as they are: JavaScript cannot freeze their contents.
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (
    value !== null &&
    typeof value === 'object' &&
    !ArrayBuffer.isView(value) &&
    !Object.isFrozen(value)
  ) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      deepFreeze((value as Record<PropertyKey, unknown>)[key]);
    }
  }
  return value as DeepReadonly<T>;
}
