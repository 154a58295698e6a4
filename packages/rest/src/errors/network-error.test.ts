import { describe, expect, it } from 'vitest';
import { isRetryableNetworkError } from '../request/retry.ts';
import { http2ConnectionLost } from '../transport/http2-health-check.ts';
import { noteClosedAfterHandshake, toRequestError } from './network-error.ts';

const request = { verb: 'GET', url: 'https://10.0.0.1:6443/api' };
const failure = (message: string, code: string, extra: object = {}) => Object.assign(new Error(message), { code }, extra);
const retried = (error: { code: string | undefined; message: string }) => isRetryableNetworkError('GET', error.code, error.message);

describe('toRequestError', () => {
  it('a connection the transport saw closed at the handshake: names the certificate fields, is not retried', () => {
    const closed = failure('other side closed', 'UND_ERR_SOCKET');
    noteClosedAfterHandshake(closed);
    const error = toRequestError(Object.assign(new Error('fetch failed'), { cause: closed }), request, undefined);
    expect(error.code).toBe('tls-handshake-closed');
    expect(error.message).toMatch(/^GET https:\/\/10\.0\.0\.1:6443\/api: the server closed the connection during or right after the TLS handshake/);
    expect(error.message).toContain('tls.certData and tls.keyData (kubeconfig: client-certificate[-data] and client-key[-data])');
    expect(retried(error)).toBe(false);
  });

  it('the same close, unseen by the transport (or over http), stays a lost connection and is retried', () => {
    const error = toRequestError(failure('other side closed', 'UND_ERR_SOCKET'), request, undefined);
    expect(error.message).toBe('GET https://10.0.0.1:6443/api: other side closed (UND_ERR_SOCKET)');
    expect(retried(error)).toBe(true);
    const plain = failure('other side closed', 'UND_ERR_SOCKET');
    noteClosedAfterHandshake(plain);
    expect(toRequestError(plain, { verb: 'GET', url: 'http://10.0.0.1:8080/api' }, undefined).code).toBe('UND_ERR_SOCKET');
  });

  it('a TLS alert refusing the certificate: OpenSSL\'s reason without its noise, and the fields to check', () => {
    const alert = failure(
      '40FDEB9AA17F0000:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:918:SSL alert number 48\n',
      'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
    );
    const error = toRequestError(alert, request, undefined);
    expect(error.message).toBe(
      'GET https://10.0.0.1:6443/api: the server at 10.0.0.1:6443 rejected the client certificate in the TLS handshake: tlsv1 alert unknown ca ' +
        '(ERR_SSL_TLSV1_ALERT_UNKNOWN_CA). Check tls.certData and tls.keyData (kubeconfig: client-certificate[-data] and client-key[-data]): ' +
        'signed by a CA the server trusts, not expired, allowed for client authentication',
    );
    expect(retried(error)).toBe(false);
  });

  it('an HTTP/2 connection closed by the health check: says so, and a GET is retried (client-go: IsHTTP2ConnectionLost)', () => {
    const error = toRequestError(http2ConnectionLost({ readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 }), request, undefined);
    expect(error.message).toBe(
      'GET https://10.0.0.1:6443/api: HTTP/2 connection lost: the server did not answer a PING within 15 s (sent after 30 s without a frame), ' +
        'so kgo closed the connection (http2-connection-lost)',
    );
    expect(retried(error)).toBe(true);
    expect(isRetryableNetworkError('POST', error.code, error.message)).toBe(false);
  });

  it('TCP gave up on a silent connection (ETIMEDOUT): says the connection went silent, and a GET is retried', () => {
    const error = toRequestError(Object.assign(new TypeError('terminated'), { cause: failure('read ETIMEDOUT', 'ETIMEDOUT') }), request, undefined);
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toBe(
      'GET https://10.0.0.1:6443/api: the connection went silent: the server stopped answering TCP keep-alive probes or retransmissions (read ETIMEDOUT), ' +
        'so the connection was closed; a network device may have dropped it (NAT, firewall, load balancer) or the host is down (ETIMEDOUT)',
    );
    expect(retried(error)).toBe(true);
    expect(isRetryableNetworkError('POST', error.code, error.message)).toBe(false);
    // A connect timeout is not a dead connection: not retried (nothing to say the next try does better).
    expect(retried(toRequestError(failure('connecting to 10.0.0.1:6443 did not complete within 30 s', 'connect-timeout'), request, undefined))).toBe(false);
  });

  it('a body cut short (node:http reports it as "aborted") is an early EOF: a GET is retried', () => {
    const error = toRequestError(failure('aborted', 'ECONNRESET'), request, undefined);
    expect(retried(error)).toBe(true);
  });
});
