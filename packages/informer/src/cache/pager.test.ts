import { StatusError, type ListOptions } from '@kgo/rest';
import { describe, expect, it } from 'vitest';
import { listAllPages } from './pager.ts';

const expired = () =>
  new StatusError({ kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: 'The provided continue parameter is too old' });

describe('listAllPages (client-go ListPager with FullListIfExpired)', () => {
  const items = Array.from({ length: 7 }, (_, i) => `item-${i}`);

  function server(options: { expireOnPage?: number } = {}) {
    const calls: ListOptions[] = [];
    const list = async (opts: ListOptions) => {
      calls.push(opts);
      const start = opts.continue ? Number(opts.continue) : 0;
      if (options.expireOnPage !== undefined && opts.continue && calls.length - 1 === options.expireOnPage) throw expired();
      const end = opts.limit ? Math.min(start + opts.limit, items.length) : items.length;
      return { metadata: { resourceVersion: '42', continue: end < items.length ? String(end) : undefined }, items: items.slice(start, end) };
    };
    return { calls, list };
  }

  it('follows continue tokens, dropping resourceVersion after the first page', async () => {
    const { calls, list } = server();
    const result = await listAllPages(list, { resourceVersion: '' , labelSelector: 'a=b' }, 3);
    expect(result).toEqual({ items, resourceVersion: '42', paginated: true });
    expect(calls).toEqual([
      { resourceVersion: '', labelSelector: 'a=b', limit: 3 },
      { resourceVersion: undefined, resourceVersionMatch: undefined, labelSelector: 'a=b', limit: 3, continue: '3' },
      { resourceVersion: undefined, resourceVersionMatch: undefined, labelSelector: 'a=b', limit: 3, continue: '6' },
    ]);
  });

  it('falls back to one full list at the requested resourceVersion when a continue token expires', async () => {
    const { calls, list } = server({ expireOnPage: 1 });
    const result = await listAllPages(list, { resourceVersion: '7' }, 3);
    expect(result.items).toEqual(items);
    expect(calls.at(-1)).toEqual({ resourceVersion: '7', limit: undefined, continue: undefined });
  });

  it('does not fall back when the first page fails', async () => {
    const list = async () => {
      throw expired();
    };
    await expect(listAllPages(list, {}, 3)).rejects.toThrow('too old');
  });

  it('lists in one request with page size 0', async () => {
    const { calls, list } = server();
    expect((await listAllPages(list, { resourceVersion: '5' }, 0)).paginated).toBe(false);
    expect(calls).toEqual([{ resourceVersion: '5' }]);
  });
});
