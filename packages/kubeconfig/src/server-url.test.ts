import { describe, expect, test } from 'vitest';
import { normalizeServer } from './server-url.ts';

describe('normalizeServer', () => {
  test.each([
    ['https://a:6443', 'https://a:6443'],
    ['https://a/', 'https://a/'],
    ['https://[::1]:6443', 'https://[::1]:6443'],
    ['https://a/k8s/clusters/c-1?x=1#f', 'https://a/k8s/clusters/c-1'],
    ['127.0.0.1:6443', 'http://127.0.0.1:6443'],
    ['localhost:8080', 'http://localhost:8080'],
  ])('%s → %s', (input, output) => {
    expect(normalizeServer(input)).toBe(output);
  });
});
