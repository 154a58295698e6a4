import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HTTP2_CONNECTION_LOST, Http2HealthCheck, healthCheckTickMs, STREAM_FAILURE_PING_TIMEOUT_MS } from './http2-health-check.ts';

/*
 * The health check's timing on a dead connection, with fake timers: a socket whose bytesRead
 * never moves again and a session whose pings are never answered.
 */

class DeadSocket extends EventEmitter {
  bytesRead = 100;
  destroyedWith: Error | undefined;
  destroyedAt: number | undefined;
  destroy(error?: Error): void {
    this.destroyedWith = error;
    this.destroyedAt = Date.now();
    this.emit('close');
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'performance', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Http2HealthCheck', () => {
  it('with client-go\'s settings (30 s, 15 s), closes a silent connection within 45–46 s of its last byte, as Go does', () => {
    const socket = new DeadSocket();
    const pings: number[] = [];
    new Http2HealthCheck(socket as unknown as Socket, { readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 }).attach({
      ping: () => (pings.push(Date.now() - start), true),
      closed: false,
      destroyed: false,
    });
    // The last frame arrives between two looks; the connection is silent from then on.
    vi.advanceTimersByTime(7_300);
    socket.bytesRead += 40;
    const start = Date.now();
    vi.advanceTimersByTime(29_999);
    expect(pings).toEqual([]);
    vi.advanceTimersByTime(16_001);
    expect(pings).toHaveLength(1);
    expect(pings[0]).toBeGreaterThanOrEqual(30_000);
    expect(pings[0]).toBeLessThanOrEqual(31_000);
    expect(socket.destroyedWith).toMatchObject({ code: HTTP2_CONNECTION_LOST });
    expect((socket.destroyedAt ?? Infinity) - start).toBeLessThanOrEqual(46_000);
  });

  it('does not ping while frames keep arriving', () => {
    const socket = new DeadSocket();
    const ping = vi.fn(() => true);
    new Http2HealthCheck(socket as unknown as Socket, { readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 }).attach({ ping, closed: false, destroyed: false });
    for (let i = 0; i < 12; i++) {
      vi.advanceTimersByTime(10_000);
      socket.bytesRead += 9;
    }
    expect(ping).not.toHaveBeenCalled();
    socket.destroy();
  });

  it('after a failed stream, pings at once and closes the connection when no answer comes within 5 s', () => {
    const socket = new DeadSocket();
    const ping = vi.fn(() => true);
    const check = new Http2HealthCheck(socket as unknown as Socket, { readIdleTimeoutMs: 30_000, pingTimeoutMs: 15_000 });
    check.attach({ ping, closed: false, destroyed: false });
    check.streamFailed();
    check.streamFailed();
    expect(ping).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(STREAM_FAILURE_PING_TIMEOUT_MS - 1);
    expect(socket.destroyedWith).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(socket.destroyedWith).toMatchObject({ code: HTTP2_CONNECTION_LOST, message: expect.stringContaining('within 5 s (sent when a stream on it failed)') });
  });

  it('an answered ping leaves the connection open; with an idle ping in flight, a failed stream sends none and brings its deadline forward', () => {
    const socket = new DeadSocket();
    const answers: ((error: Error | null) => void)[] = [];
    const check = new Http2HealthCheck(socket as unknown as Socket, { readIdleTimeoutMs: 1000, pingTimeoutMs: 15_000, streamFailurePingTimeoutMs: 2000 });
    check.attach({ ping: (answer) => (answers.push(answer), true), closed: false, destroyed: false });
    check.streamFailed();
    (answers[0] as (error: Error | null) => void)(null);
    vi.advanceTimersByTime(2000);
    expect(socket.destroyedWith).toBeUndefined();
    // Silent from here: the idle ping goes out (15 s to answer); a stream fails 500 ms later.
    while (answers.length < 2) vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(500);
    check.streamFailed();
    expect(answers).toHaveLength(2);
    vi.advanceTimersByTime(1999);
    expect(socket.destroyedWith).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(socket.destroyedWith).toMatchObject({ code: HTTP2_CONNECTION_LOST, message: expect.stringContaining('(sent when a stream on it failed)') });
  });

  it('looks every second, or at half the idle time when that is shorter', () => {
    expect(healthCheckTickMs(30_000)).toBe(1000);
    expect(healthCheckTickMs(1000)).toBe(500);
    expect(healthCheckTickMs(10)).toBe(50);
  });
});
