/*
 * The option objects of the DynamicClient's methods: @kgo/rest's metav1 option types (the query
 * parameters, or for deletes the DeleteOptions body) plus what shapes the call itself.
 */
import type { CreateOptions, DeleteOptions, GetOptions, ListOptions, PatchOptions, UpdateOptions } from '@kgo/rest';

/** Settings of one call, on every method. */
export interface CallOptions {
  /** Cancels the call (or ends the watch) when it aborts. */
  signal?: AbortSignal | undefined;
  /**
   * Bounds the whole call, retries included, and sends `timeout=<duration>` to the server
   * (default: the RestConfig's `timeoutMs`; watches have none unless given).
   */
  timeoutMs?: number | undefined;
}

/** A subresource path after the object's name: `'status'`, `'scale'`, or several segments. */
export interface SubresourceOption {
  subresource?: string | readonly string[] | undefined;
}

/** Options of `get`. */
export interface DynamicGetOptions extends GetOptions, SubresourceOption, CallOptions {}

/** Options of `list` and `watch` (metav1.ListOptions as query parameters). */
export interface DynamicListOptions extends ListOptions, CallOptions {}

/** Options of `create`; with a subresource, the object's name says which object it belongs to. */
export interface DynamicCreateOptions extends CreateOptions, SubresourceOption, CallOptions {}

/** Options of `update` (a subresource such as `scale`) and `updateStatus`. */
export interface DynamicUpdateOptions extends UpdateOptions, SubresourceOption, CallOptions {}

/** Options of `patch`. */
export interface DynamicPatchOptions extends PatchOptions, SubresourceOption, CallOptions {}

/**
 * Options of `apply` and `applyStatus` (metav1.ApplyOptions): server-side apply records the
 * applied fields as owned by `fieldManager`, which is therefore required. `force` takes fields
 * other managers own instead of failing with 409 Conflict; it is always sent (`force=false`
 * when not set), as client-go does.
 */
export interface ApplyOptions extends Omit<PatchOptions, 'fieldManager' | 'force'>, SubresourceOption, CallOptions {
  fieldManager: string;
  force?: boolean | undefined;
}

/** Options of `delete`: metav1.DeleteOptions, sent as the request body as client-go does. */
export interface DynamicDeleteOptions extends DeleteOptions, SubresourceOption, CallOptions {}

/**
 * Options of `deleteCollection`: which objects (ListOptions, as query parameters) and how
 * (DeleteOptions, as the request body).
 */
export interface DynamicDeleteCollectionOptions extends DeleteOptions, Omit<ListOptions, 'allowWatchBookmarks' | 'sendInitialEvents'>, CallOptions {}

/** What `listAll` and the list iterators do when a `continue` token has expired (410 Expired). */
export type OnExpired = 'error' | 'restart';

/**
 * Options of `listAll`, `listPages` and `listItems`: ListOptions for every page, `limit` as the
 * page size (default 500, client-go's pager), and what to do with an expired `continue` token.
 */
export interface ListAllOptions extends Omit<DynamicListOptions, 'allowWatchBookmarks' | 'sendInitialEvents'> {
  /**
   * `'error'` (default): throw a StatusError (reason `Expired`, so `isResourceExpired` is true)
   * saying how far the list got. `'restart'`: start the list over from the first page (at most
   * 3 times): `listAll` drops what it had collected; the iterators go on yielding, so items
   * seen before the restart come again.
   */
  onExpired?: OnExpired | undefined;
}
