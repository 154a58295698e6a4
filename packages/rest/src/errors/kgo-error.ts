/*
 * One error base and one marker scheme for every kgo package. `instanceof` fails when two copies
 * of a package are installed (each has its own class), so each class carries a
 * `Symbol.for('kgo.error.<package>.<Class>')` marker and checks for it in a static `isInstance`;
 * every kgo error also carries `Symbol.for('kgo.error')`. Packages that cannot depend on
 * @kgo/rest (envtest) follow the same keys by hand.
 */

/** The registry key every kgo error carries. */
export const KGO_ERROR_KEY = 'kgo.error';

const baseMarker = Symbol.for(KGO_ERROR_KEY);

/**
 * The marker symbol of one error class: `Symbol.for('kgo.error.<key>')`, where the key is
 * `<package>.<Class>` (`rest.StatusError`, `kubeconfig.KubeconfigError`).
 */
export function errorMarker(key: string): symbol {
  return Symbol.for(`${KGO_ERROR_KEY}.${key}`);
}

/** True when `error` is an object that carries `marker` (set by a kgo error class of any copy). */
export function hasErrorMarker(error: unknown, marker: symbol): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/**
 * The base of every error kgo throws on purpose. Check with {@link KgoError.isInstance} (or a
 * subclass's `isInstance`) rather than `instanceof`: it also recognises errors from another
 * installed copy of a kgo package.
 *
 * @example
 * ```ts
 * try { await client.get().resource('pods').do(); }
 * catch (error) { if (KgoError.isInstance(error)) console.error(error.message); else throw error; }
 * ```
 */
export class KgoError extends Error {
  override name = 'KgoError';
  readonly [baseMarker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  /** True for any kgo error, from any copy of any kgo package. */
  static isInstance(error: unknown): error is KgoError {
    return hasErrorMarker(error, baseMarker);
  }
}
