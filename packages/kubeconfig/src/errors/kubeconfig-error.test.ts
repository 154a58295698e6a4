import { CredentialError, KgoError } from '@kgo/rest';
import { describe, expect, test } from 'vitest';
import { ExecCredentialError } from './exec-credential-error.ts';
import { KubeconfigError } from './kubeconfig-error.ts';
import { OidcCredentialError } from './oidc-credential-error.ts';

describe('KubeconfigError', () => {
  test('carries file and field; isInstance works across copies via the marker', () => {
    const error = new KubeconfigError('m', { file: '/f', field: 'x.y' });
    expect([error.file, error.field, error.name]).toEqual(['/f', 'x.y', 'KubeconfigError']);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(KubeconfigError.isInstance({ [Symbol.for('kgo.error.kubeconfig.KubeconfigError')]: true })).toBe(true);
    expect(KubeconfigError.isInstance(new Error('m'))).toBe(false);
    expect(KubeconfigError.isInstance(null)).toBe(false);
  });

  test('is a KgoError, so @kgo/rest passes it through a credential provider unchanged', () => {
    const error = new KubeconfigError('m');
    expect(KgoError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(KgoError);
    expect(CredentialError.from(error, { verb: 'GET', url: 'https://a/version' })).toBe(error);
  });
});

describe('credential errors', () => {
  test('ExecCredentialError: a KubeconfigError with command, reason and exit code; its own marker', () => {
    const error = new ExecCredentialError('m', { command: 'p', reason: 'exit-code', exitCode: 3, file: '/f', field: 'users[u].user.exec.command' });
    expect([error.name, error.command, error.reason, error.exitCode, error.file]).toEqual(['ExecCredentialError', 'p', 'exit-code', 3, '/f']);
    expect(ExecCredentialError.isInstance(error)).toBe(true);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(KgoError.isInstance(error)).toBe(true);
    expect(ExecCredentialError.isInstance(new KubeconfigError('m'))).toBe(false);
    expect(ExecCredentialError.isInstance({ [Symbol.for('kgo.error.kubeconfig.ExecCredentialError')]: true })).toBe(true);
  });

  test('OidcCredentialError: a KubeconfigError with the endpoint and HTTP status; its own marker', () => {
    const error = new OidcCredentialError('m', { endpoint: 'https://issuer/token', httpStatus: 400 });
    expect([error.name, error.endpoint, error.httpStatus]).toEqual(['OidcCredentialError', 'https://issuer/token', 400]);
    expect(OidcCredentialError.isInstance(error)).toBe(true);
    expect(KubeconfigError.isInstance(error)).toBe(true);
    expect(OidcCredentialError.isInstance(new ExecCredentialError('m', { command: 'p', reason: 'signal' }))).toBe(false);
    expect(OidcCredentialError.isInstance({ [Symbol.for('kgo.error.kubeconfig.OidcCredentialError')]: true })).toBe(true);
  });
});
