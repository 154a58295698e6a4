/*
 * The option objects of client-go's metav1 (ListOptions, GetOptions, CreateOptions, …) and
 * their encoding as query parameters. Field names are the API's own query keys.
 */

/** `resourceVersionMatch`: how `resourceVersion` is applied to a list. */
export type ResourceVersionMatch = 'NotOlderThan' | 'Exact';

/** Server-side field validation of create, update and patch bodies. */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Dry run: `['All']` processes the request fully but persists nothing. */
export type DryRun = 'All'[];

/** Options of list and watch requests (metav1.ListOptions). */
export interface ListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  /** Page size. The server returns `metadata.continue` when more remain. */
  limit?: number | undefined;
  /** The `metadata.continue` token of the previous page. */
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: ResourceVersionMatch | undefined;
  /** Server-side timeout of a list or watch. */
  timeoutSeconds?: number | undefined;
  /** Ask a watch to send BOOKMARK events. */
  allowWatchBookmarks?: boolean | undefined;
  /** Start a watch with synthetic ADDED events for the current state (watch-list). */
  sendInitialEvents?: boolean | undefined;
}

/** Options of get requests (metav1.GetOptions). */
export interface GetOptions {
  resourceVersion?: string | undefined;
}

/** Options of create requests (metav1.CreateOptions). */
export interface CreateOptions {
  dryRun?: DryRun | undefined;
  fieldManager?: string | undefined;
  fieldValidation?: FieldValidation | undefined;
}

/** Options of update requests (metav1.UpdateOptions). */
export interface UpdateOptions extends CreateOptions {}

/** Options of patch and apply requests (metav1.PatchOptions). `force` only applies to server-side apply. */
export interface PatchOptions extends CreateOptions {
  force?: boolean | undefined;
}

/** How dependents are deleted. */
export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

/** Conditions a delete must meet, or it fails with 409 Conflict (metav1.Preconditions). */
export interface Preconditions {
  uid?: string | undefined;
  resourceVersion?: string | undefined;
}

/** Options of delete requests (metav1.DeleteOptions); client-go sends them as the request body. */
export interface DeleteOptions {
  gracePeriodSeconds?: number | undefined;
  propagationPolicy?: PropagationPolicy | undefined;
  preconditions?: Preconditions | undefined;
  dryRun?: DryRun | undefined;
}

/**
 * Any of the option objects that travel as query parameters. Deliberately closed: a misspelt
 * field (`{ limt: 50 }`) does not compile. Parameters of your own go through `Request.param()`.
 */
export type QueryOptions = ListOptions | GetOptions | CreateOptions | UpdateOptions | PatchOptions;

/**
 * The query options that fit a verb: lists, gets and watches are GETs; creates POST; updates
 * PUT; patches and applies PATCH; DELETE takes list options (deleteCollection's selector) and
 * the scalar delete options (the server reads them from the query too).
 */
export type QueryOptionsFor<Verb extends string> = string extends Verb
  ? QueryOptions
  : Verb extends 'GET'
    ? ListOptions | GetOptions
    : Verb extends 'POST'
      ? CreateOptions
      : Verb extends 'PUT'
        ? UpdateOptions
        : Verb extends 'PATCH'
          ? PatchOptions
          : Verb extends 'DELETE'
            ? ListOptions | Omit<DeleteOptions, 'preconditions'>
            : QueryOptions;

/**
 * Encodes an option object as query parameters: `undefined` fields are left out, arrays
 * repeat their key, everything else is stringified (`true` → `"true"`).
 */
export function encodeQueryOptions(options: object): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) pairs.push([key, String(item)]);
    } else if (typeof value === 'object') {
      throw new TypeError(`query option ${key} must be a string, number, boolean or array, not an object`);
    } else {
      pairs.push([key, String(value)]);
    }
  }
  return pairs;
}
