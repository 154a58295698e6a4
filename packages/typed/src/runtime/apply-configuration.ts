import type { ObjectMeta } from '@kgo/rest';

/** Every field optional, all the way down: what server-side apply sends (only the fields you own). */
export type DeepPartial<T> = T extends readonly (infer Item)[]
  ? DeepPartial<Item>[]
  : T extends object
    ? { [Key in keyof T]?: DeepPartial<T[Key]> }
    : T;

/**
 * An apply configuration (client-go's `applyconfigurations`): a deep-partial object with its
 * `apiVersion`, `kind` and `metadata.name` set, sent as a server-side apply patch. List only the
 * fields your field manager owns; the server merges them by the type's list and map keys.
 */
export type ApplyConfiguration<T, ApiVersion extends string, Kind extends string> = Omit<DeepPartial<T>, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: DeepPartial<ObjectMeta> & { name: string };
};
