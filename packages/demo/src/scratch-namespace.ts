import { type HttpClient, isNotFound, RestClient } from '@kgo/rest';

/** The label on the demo's scratch namespaces, so a leftover one is easy to find. */
export const SCRATCH_LABEL = { 'app.kubernetes.io/managed-by': 'kgo-demo' };

/**
 * A namespace made on first use (`kgo-demo-<random>`) and deleted by {@link ScratchNamespace.delete}:
 * the one place where the demo may write on a cluster it did not start.
 */
export class ScratchNamespace {
  readonly #core: RestClient;
  #name: Promise<string> | undefined;

  constructor(http: HttpClient) {
    this.#core = new RestClient(http, { groupVersion: { group: '', version: 'v1' } });
  }

  /** The namespace's name, creating it on the first call. */
  get(): Promise<string> {
    this.#name ??= this.#core
      .post()
      .resource('namespaces')
      .body({ apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: 'kgo-demo-', labels: SCRATCH_LABEL } })
      .do()
      .into<{ metadata: { name: string } }>()
      .then((namespace) => namespace.metadata.name);
    return this.#name;
  }

  /** Deletes the namespace if it was made (and everything in it); returns its name, if any. */
  async delete(): Promise<string | undefined> {
    const name = await this.#name?.catch(() => undefined);
    if (name === undefined) return undefined;
    await this.#core
      .delete()
      .resource('namespaces')
      .name(name)
      .do()
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    return name;
  }
}
