import { describe, expect, test } from 'vitest';
import { KubeconfigError } from './kubeconfig-error.ts';

describe('KubeconfigError', () => {
  test('carries file and field; isInstance works across copies via the marker', () => {
    const error = new KubeconfigError('m', { file: '/f', field: 'x.y' });
    expect([error.file, error.field, error.name]).toEqual(['/f', 'x.y', 'KubeconfigError']);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(KubeconfigError.isInstance({ [Symbol.for('kgo.KubeconfigError')]: true })).toBe(true);
    expect(KubeconfigError.isInstance(new Error('m'))).toBe(false);
    expect(KubeconfigError.isInstance(null)).toBe(false);
  });
});
