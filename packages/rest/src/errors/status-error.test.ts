import { EnvtestError, restConfigFor, type TestCluster } from '@kgo/envtest';
import { describe, expect, it } from 'vitest';
import type { RestConfig } from '../rest-config.ts';
import { CredentialError } from './credential-error.ts';
import { DecodeError } from './decode-error.ts';
import { errorMarker, hasErrorMarker, KgoError } from './kgo-error.ts';
import * as predicates from './predicates.ts';
import { RequestError } from './request-error.ts';
import { decodeStatusError } from './decode-status.ts';
import { genericStatusError, StatusError } from './status-error.ts';

const request = { verb: 'GET', url: 'https://h/api/v1/namespaces/d/configmaps/x', resource: 'configmaps', name: 'x' };

describe('StatusError', () => {
  it('derives reason and message from the code when the body is not a Status', () => {
    const error = genericStatusError(404, '404 page not found', request);
    expect(error.reason).toBe('NotFound');
    expect(error.code).toBe(404);
    expect(error.message).toBe('the server could not find the requested resource (get configmaps x)');
    expect(predicates.isNotFound(error)).toBe(true);
  });

  it('derives AlreadyExists for a 409 on POST and Conflict otherwise', () => {
    expect(predicates.isAlreadyExists(genericStatusError(409, '', { ...request, verb: 'POST' }))).toBe(true);
    expect(predicates.isConflict(genericStatusError(409, '', { ...request, verb: 'PUT' }))).toBe(true);
  });

  it("keeps only Status's own fields of a Status body (found by decode-status.fuzz.test.ts: extra data rode along into logs)", () => {
    const body = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'denied', reason: 'Forbidden', code: 403, details: { name: 'x' }, data: { token: 'kgo-marker-token' } };
    const error = decodeStatusError(403, 'application/json', new TextEncoder().encode(JSON.stringify(body)), request, undefined);
    expect(error.status).toEqual({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'denied', reason: 'Forbidden', code: 403, details: { name: 'x' } });
    expect(JSON.stringify(error)).not.toContain('kgo-marker-token');
  });

  it('quotes the body of an unknown 5xx as InternalError', () => {
    const error = genericStatusError(502, 'bad gateway', request);
    expect(error.reason).toBe('InternalError');
    expect(error.message).toContain('an error on the server ("bad gateway") has prevented the request from succeeding');
  });

  it.each([
    [400, 'isBadRequest'],
    [401, 'isUnauthorized'],
    [403, 'isForbidden'],
    [404, 'isNotFound'],
    [405, 'isMethodNotSupported'],
    [410, 'isGone'],
    [422, 'isInvalid'],
    [429, 'isTooManyRequests'],
    [503, 'isServiceUnavailable'],
    [504, 'isTimeout'],
    [500, 'isInternalError'],
  ] as const)('code %d satisfies %s and no other predicate', (code, name) => {
    const error = genericStatusError(code, '', request);
    for (const [predicate, check] of Object.entries(predicates)) {
      expect(check(error), `${predicate} for ${code}`).toBe(predicate === name);
    }
  });

  it('matches unknown reasons by code, known reasons by reason only', () => {
    const custom = new StatusError({ code: 404, reason: 'SomethingNew', message: 'x' });
    expect(predicates.isNotFound(custom)).toBe(true);
    const expired = new StatusError({ code: 410, reason: 'Expired', message: 'too old resource version' });
    expect(predicates.isResourceExpired(expired)).toBe(true);
    expect(predicates.isGone(expired)).toBe(false);
  });

  it('is recognised across package copies by its marker, not instanceof', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('kgo.error.rest.StatusError')]: true,
      status: { code: 404, reason: 'NotFound', message: 'x' },
    });
    expect(StatusError.isInstance(foreign)).toBe(true);
    expect(predicates.isNotFound(foreign)).toBe(true);
    expect(predicates.isNotFound(new Error('not found'))).toBe(false);
  });
});

describe('one marker scheme across kgo packages', () => {
  it('recognises envtest errors as kgo errors (envtest keeps the scheme by hand)', () => {
    const error = new EnvtestError('no binaries');
    expect(KgoError.isInstance(error)).toBe(true);
    expect(hasErrorMarker(error, errorMarker('envtest.EnvtestError'))).toBe(true);
    expect(StatusError.isInstance(error)).toBe(false);
  });

  it("gives every @kgo/rest error the base marker and only its own class's", () => {
    const request = { verb: 'GET', url: 'https://h/x' };
    const errors = [new RequestError('x', request), new DecodeError('x', request), new CredentialError('x', request)];
    for (const error of errors) expect(KgoError.isInstance(error)).toBe(true);
    expect(errors.map((error) => [RequestError.isInstance(error), DecodeError.isInstance(error), CredentialError.isInstance(error)])).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
  });
});

describe("envtest's restConfigFor", () => {
  it('stays assignable to RestConfig (envtest names the fields rather than importing the type)', () => {
    const cluster: TestCluster = { server: 'https://127.0.0.1:1', caCert: 'ca', admin: { cert: 'c', key: 'k' }, adminKubeconfig: '/k', managed: true };
    const config: RestConfig = restConfigFor(cluster);
    expect(config).toEqual({ host: 'https://127.0.0.1:1', qps: -1, tls: { caData: 'ca', certData: 'c', keyData: 'k' } });
    expect(() => restConfigFor(cluster, { user: 'user' })).toThrow(/no unprivileged token user/);
  });
});
