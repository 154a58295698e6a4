import { readFile } from 'node:fs/promises';

/** How long a token read from a file is used before the file is read again (client-go: one minute). */
export const TOKEN_FILE_REFRESH_MS = 60_000;

/**
 * A bearer token read from a file and re-read about once a minute, because projected
 * service-account tokens rotate on disk. A failed re-read keeps the previous token; a failed
 * first read, or an empty file, is an error naming the file.
 */
export class TokenFileSource {
  readonly path: string;
  #token: string | undefined;
  #readAt = 0;
  #now: () => number;

  constructor(path: string, now: () => number = () => Date.now()) {
    this.path = path;
    this.#now = now;
  }

  /** The current token. */
  async token(): Promise<string> {
    if (this.#token !== undefined && this.#now() - this.#readAt < TOKEN_FILE_REFRESH_MS) return this.#token;
    try {
      const token = (await readFile(this.path, 'utf8')).trim();
      if (token === '') throw new Error(`the file is empty`);
      this.#token = token;
      this.#readAt = this.#now();
    } catch (error) {
      if (this.#token !== undefined) return this.#token;
      throw new Error(
        `cannot read the bearer token file ${this.path}: ${(error as Error).message}. Check bearerTokenFile (kubeconfig: tokenFile) points at a readable, non-empty file.`,
      );
    }
    return this.#token;
  }
}
