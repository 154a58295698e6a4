/**
 * Freezes an object and everything reachable from it, in place, and returns it. Used by the
 * informer's `freezeObjects` option in development, so code that mutates a cached object fails
 * loudly (in strict mode, which ES modules always are) instead of corrupting the cache.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}
