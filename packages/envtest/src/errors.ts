/*
 * kgo's one error-marker scheme (see @kgo/rest's KgoError), kept by hand here because envtest,
 * a test-only package, depends on no other kgo package: every kgo error carries
 * Symbol.for('kgo.error') and Symbol.for('kgo.error.<package>.<Class>').
 */
const baseMarker = Symbol.for('kgo.error');
const marker = Symbol.for('kgo.error.envtest.EnvtestError');

/**
 * Raised when envtest cannot find, build or start the control plane. The message always says
 * what to do next (which tool to install, which variable to set, which log to read).
 * `KgoError.isInstance` from @kgo/rest recognises it.
 */
export class EnvtestError extends Error {
  override name = 'EnvtestError';
  readonly [baseMarker] = true;
  readonly [marker] = true;

  /** True for an EnvtestError from any copy of `@kgo/envtest`. */
  static isInstance(error: unknown): error is EnvtestError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
