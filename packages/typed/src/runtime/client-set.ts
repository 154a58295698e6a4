import { HttpClient, type ProtobufCodec, type RestConfig } from '@kgo/rest';

/** Options of a generated group-version client. */
export interface GroupClientOptions {
  /**
   * Prefer protobuf on the wire with this codec (from `@kgo/typed/<group>/<version>/protobuf`,
   * or several joined with `combineProtobufCodecs`): answers of the kinds it handles are read,
   * and object bodies of those kinds sent, as protobuf, into the same objects JSON gives;
   * everything else stays JSON. Only a type import here, so a JSON-only app bundles no protobuf
   * code.
   */
  protobuf?: ProtobufCodec | undefined;
}

/** Makes one group-version client over a shared HttpClient (each generated group module exports one). */
export type GroupClientFactory<Client> = (http: HttpClient, options?: GroupClientOptions) => Client;

/** A ClientSet: one method per group-version (`coreV1()`), all over one HttpClient. */
export type ClientSet<Groups extends Record<string, GroupClientFactory<unknown>>> = {
  readonly [Name in keyof Groups]: () => ReturnType<Groups[Name]>;
} & {
  /** The HttpClient every group client shares: one connection pool, one rate limiter. */
  readonly http: HttpClient;
  /** Closes the HttpClient when the ClientSet made it (from a RestConfig). */
  close(): Promise<void>;
};

/**
 * A ClientSet of the group-versions you name (client-go's `kubernetes.NewForConfig`, trimmed to
 * what you import, so a bundle carries only those groups). Every group client shares one
 * HttpClient, made here from a RestConfig or passed in; each is made on first use.
 *
 * @example
 * ```ts
 * import { createClientSet } from '@kgo/typed';
 * import { coreV1 } from '@kgo/typed/core/v1';
 * import { appsV1 } from '@kgo/typed/apps/v1';
 * const clientset = createClientSet(config, { coreV1, appsV1 });
 * const pods = await clientset.coreV1().pods('kube-system').list({ limit: 50 });
 * ```
 *
 * `options.protobuf` makes every group client prefer protobuf with that codec (see
 * {@link GroupClientOptions}).
 */
export function createClientSet<Groups extends Record<string, GroupClientFactory<unknown>>>(
  configOrHttp: RestConfig | HttpClient,
  groups: Groups,
  options: GroupClientOptions = {},
): ClientSet<Groups> {
  const ownsHttp = !(configOrHttp instanceof HttpClient);
  const http = configOrHttp instanceof HttpClient ? configOrHttp : new HttpClient(configOrHttp);
  const clientSet: Record<string, unknown> = {
    http,
    close: async () => {
      if (ownsHttp) await http.close();
    },
  };
  for (const [name, factory] of Object.entries(groups)) {
    let client: unknown;
    clientSet[name] = () => (client ??= factory(http, options));
  }
  return clientSet as ClientSet<Groups>;
}
