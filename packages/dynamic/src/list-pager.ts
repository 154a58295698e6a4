/*
 * client-go's tools/pager for a DynamicClient resource: a large list read page by page across
 * `continue` tokens. Pure over a `list` function, so the paging rules are tested without a server.
 */
import { isResourceExpired, StatusError, type UnstructuredList } from '@kgo/rest';
import type { DynamicListOptions, ListAllOptions } from './options.ts';

/** Page size when the caller gives no `limit` (client-go's pager default). */
export const DEFAULT_PAGE_SIZE = 500;

/** How often `onExpired: 'restart'` starts a list over before giving up with the 410. */
export const MAX_LIST_RESTARTS = 3;

/** One page, and whether the list started over (after an expired token) since the previous one. */
export interface ListPage {
  page: UnstructuredList;
  restarted: boolean;
}

/**
 * Yields every page of a list. The first request carries the caller's options (and `limit`,
 * default {@link DEFAULT_PAGE_SIZE}); each next one the previous page's `continue` token, without
 * `resourceVersion`/`resourceVersionMatch` (the server refuses them together with `continue`, as
 * client-go's pager knows). A 410 Expired on a continued page is rethrown with how far the list
 * got, or, with `onExpired: 'restart'`, the list starts over (at most {@link MAX_LIST_RESTARTS} times).
 *
 * @param what names the list in messages (`widgets.example.com in namespace "a"`)
 */
export async function* pageThrough(
  list: (options: DynamicListOptions) => Promise<UnstructuredList>,
  options: ListAllOptions,
  what: string,
): AsyncGenerator<ListPage, void, undefined> {
  const { onExpired = 'error', ...listOptions } = options;
  if (onExpired !== 'error' && onExpired !== 'restart') throw new TypeError(`onExpired must be 'error' or 'restart', got ${JSON.stringify(onExpired)}`);
  const first: DynamicListOptions = { ...listOptions, limit: listOptions.limit ?? DEFAULT_PAGE_SIZE };
  let next = first;
  let restarts = 0;
  let restarted = false;
  let pages = 0;
  let items = 0;
  while (true) {
    let page: UnstructuredList;
    try {
      page = await list(next);
    } catch (error) {
      if (!isResourceExpired(error) || !next.continue) throw error;
      if (onExpired === 'restart' && restarts < MAX_LIST_RESTARTS) {
        restarts++;
        restarted = true;
        next = { ...first, continue: undefined };
        pages = 0;
        items = 0;
        continue;
      }
      throw expired(error as StatusError, what, pages, items, restarts);
    }
    pages++;
    items += page.items.length;
    yield { page, restarted };
    restarted = false;
    const token = page.metadata?.continue;
    if (!token) return;
    next = { ...first, continue: token, resourceVersion: undefined, resourceVersionMatch: undefined };
  }
}

/** The server's 410, with how far the list got and what to do, still a StatusError with reason Expired. */
function expired(error: StatusError, what: string, pages: number, items: number, restarts: number): StatusError {
  const after = restarts > 0 ? ` (after ${restarts} restart${restarts === 1 ? '' : 's'}, the most allowed)` : '';
  const advice = restarts > 0 ? 'list with a larger limit, or a selector, to need fewer pages' : "pass onExpired: 'restart' to start the list over";
  const wrapped = new StatusError(
    {
      ...error.status,
      message: `listing ${what}: the continue token expired after ${pages} page${pages === 1 ? '' : 's'} (${items} items)${after}: ${advice}. The server said: ${error.status.message}`,
    },
    error.request,
  );
  Object.defineProperty(wrapped, 'cause', { value: error, configurable: true, writable: true });
  return wrapped;
}

/**
 * Every item of a list in one {@link UnstructuredList} (client-go's `ListPager.List`): the list's
 * metadata is the first page's (its resourceVersion is the one every page was read at), without
 * a continue token.
 */
export async function collectPages(pages: AsyncIterable<ListPage>): Promise<UnstructuredList> {
  let result: UnstructuredList | undefined;
  for await (const { page, restarted } of pages) {
    if (!result || restarted) {
      const { continue: _continue, remainingItemCount: _remaining, ...metadata } = page.metadata ?? {};
      result = { ...page, metadata, items: [...page.items] };
    } else {
      for (const item of page.items) result.items.push(item);
    }
  }
  // pageThrough yields at least one page or throws.
  return result as UnstructuredList;
}
