import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HTTP2_CONNECTION_LOST, Http2HealthCheck, healthCheckTickMs } from './http2-health-check.ts';

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

  it('looks every second, or at half the idle time when that is shorter', () => {
    expect(healthCheckTickMs(30_000)).toBe(1000);
    expect(healthCheckTickMs(1000)).toBe(500);
    expect(healthCheckTickMs(10)).toBe(50);
  });
});
