import type { Result } from './result.ts';

/**
 * What `do()` returns: a promise of the {@link Result}, with shortcuts that decode it in the same
 * line (ky's `ResponsePromise`, client-go's `Do(ctx).Into(obj)`).
 *
 * @example
 * ```ts
 * const cm = await core.get().namespace('default').resource('configmaps').name('app').do().into<ConfigMap>();
 * ```
 */
export interface ResponsePromise extends Promise<Result> {
  /** The body decoded as JSON; an empty or non-JSON body rejects with a `DecodeError`. */
  into<T>(): Promise<T>;
  /** The body as text. */
  text(): Promise<string>;
  /** The raw body bytes. */
  raw(): Promise<Uint8Array>;
}

/** Adds the {@link ResponsePromise} shortcuts to a promise of a Result. */
export function toResponsePromise(result: Promise<Result>): ResponsePromise {
  const promise = result as ResponsePromise;
  promise.into = <T>() => result.then((value) => value.into<T>());
  promise.text = () => result.then((value) => value.text());
  promise.raw = () => result.then((value) => value.body);
  return promise;
}
