import { errorMarker, hasErrorMarker, KgoError } from '@kgo/rest';

const marker = errorMarker('kubeconfig.KubeconfigError');

/** Where a {@link KubeconfigError} comes from, and what it is about. */
export interface KubeconfigErrorOptions {
  /** The kubeconfig file (or service-account folder) the problem is in, when known. */
  file?: string | undefined;
  /** The field at fault, as a path into the file: `users[dev].user.client-key`. */
  field?: string | undefined;
  /** The underlying error (I/O, YAML, child process). Never carries credentials. */
  cause?: unknown;
}

/**
 * Anything wrong with a kubeconfig, in-cluster config or credential plugin: unreadable or
 * malformed files, dangling references, invalid combinations, failed plugins. The message names
 * the file and field and says how to fix it; it never contains a token, password, key or
 * certificate. A {@link KgoError}: `@kgo/rest` hands it to the caller unchanged when a credential
 * provider throws it.
 */
export class KubeconfigError extends KgoError {
  override name = 'KubeconfigError';
  /** The file at fault, when known. */
  readonly file: string | undefined;
  /** The field at fault, when known (`clusters[prod].cluster.server`). */
  readonly field: string | undefined;
  readonly [marker] = true;

  constructor(message: string, options: KubeconfigErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.file = options.file;
    this.field = options.field;
  }

  /** True for a KubeconfigError (or subclass) from any copy of `@kgo/kubeconfig`. */
  static override isInstance(error: unknown): error is KubeconfigError {
    return hasErrorMarker(error, marker);
  }
}
