import { isResourceExpired, type ListOptions } from '@kgo/rest';
import type { ListResult } from './lister-watcher.ts';

/** One complete list, however many pages it took. */
export interface PagedList<T> {
  items: T[];
  resourceVersion: string;
  /** True when the server answered with more than one page. */
  paginated: boolean;
}

/**
 * Lists every item in pages of `pageSize` (client-go's `pager.ListPager` with
 * `FullListIfExpired`): each page continues the previous one's token; when a continue token has
 * expired (410 Expired on page 2 or later), it falls back to one full list at the requested
 * resourceVersion. `pageSize` 0 asks for everything at once.
 */
export async function listAllPages<T>(list: (options: ListOptions) => Promise<ListResult<T>>, options: ListOptions, pageSize: number): Promise<PagedList<T>> {
  const requested = { ...options };
  let page: ListOptions = { ...options };
  if (pageSize > 0 && page.limit === undefined) page.limit = pageSize;
  const items: T[] = [];
  let paginated = false;
  while (true) {
    let result: ListResult<T>;
    try {
      result = await list(page);
    } catch (error) {
      if (!isResourceExpired(error) || !page.continue) throw error;
      // The snapshot the first page was read from is gone: read it all at once instead.
      const full = await list({ ...requested, limit: undefined, continue: undefined });
      return { items: full.items, resourceVersion: full.metadata?.resourceVersion ?? '', paginated };
    }
    for (const item of result.items) items.push(item);
    const next = result.metadata?.continue;
    if (!next) return { items, resourceVersion: result.metadata?.resourceVersion ?? '', paginated };
    paginated = true;
    // The server refuses resourceVersion together with continue: the token carries it.
    page = { ...page, continue: next, resourceVersion: undefined, resourceVersionMatch: undefined };
  }
}
