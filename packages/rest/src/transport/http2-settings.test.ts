import { describe, expect, it } from 'vitest';
import type { RestConfig } from '../rest-config.ts';
import { http2Settings } from './http2-settings.ts';

const host = 'https://127.0.0.1:6443';
const config = (http2?: RestConfig['http2']): RestConfig => ({ host, http2 });

describe('http2Settings', () => {
  it('defaults to HTTP/2 with client-go\'s health check: ping after 30 s without a frame, give up 15 s later', () => {
    expect(http2Settings(config(), {})).toEqual({ enabled: true, readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 });
  });

  it('reads client-go\'s environment variables (integer seconds; anything else keeps the default, as client-go does)', () => {
    const env = { HTTP2_READ_IDLE_TIMEOUT_SECONDS: '10', HTTP2_PING_TIMEOUT_SECONDS: '5' };
    expect(http2Settings(config(), env)).toEqual({ enabled: true, readIdleTimeoutMs: 10_000, pingTimeoutMs: 5000 });
    const bad = { HTTP2_READ_IDLE_TIMEOUT_SECONDS: '10s', HTTP2_PING_TIMEOUT_SECONDS: '-1' };
    expect(http2Settings(config(), bad)).toEqual({ enabled: true, readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 });
  });

  it('DISABLE_HTTP2 (any non-empty value) or http2: false speaks HTTP/1.1', () => {
    expect(http2Settings(config(), { DISABLE_HTTP2: '1' }).enabled).toBe(false);
    expect(http2Settings(config(), { DISABLE_HTTP2: '' }).enabled).toBe(true);
    expect(http2Settings(config(false), {}).enabled).toBe(false);
  });

  it('RestConfig.http2 wins over the environment', () => {
    const env = { DISABLE_HTTP2: 'true', HTTP2_READ_IDLE_TIMEOUT_SECONDS: '10', HTTP2_PING_TIMEOUT_SECONDS: '5' };
    expect(http2Settings(config({ readIdleTimeoutMs: 1000, pingTimeoutMs: 500 }), env)).toEqual({
      enabled: true,
      readIdleTimeoutMs: 1000,
      pingTimeoutMs: 500,
    });
  });

  it('a read-idle timeout of 0 turns the health check off; a ping timeout of 0 means the default (Go)', () => {
    expect(http2Settings(config({ readIdleTimeoutMs: 0, pingTimeoutMs: 0 }), {})).toEqual({ enabled: true, readIdleTimeoutMs: 0, pingTimeoutMs: 15_000 });
  });

  it('refuses a negative or non-finite timeout, naming the field', () => {
    expect(() => http2Settings(config({ pingTimeoutMs: -1 }), {})).toThrow(
      `RestConfig for ${host}: http2.pingTimeoutMs must be a number of milliseconds ≥ 0, got -1`,
    );
    expect(() => http2Settings(config({ readIdleTimeoutMs: Number.NaN }), {})).toThrow('http2.readIdleTimeoutMs');
  });
});
