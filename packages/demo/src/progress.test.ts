import { describe, expect, it } from 'vitest';
import { formatSeconds, Progress } from './progress.ts';

function recorder(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, write: (text: string) => chunks.push(text) } };
}

describe('Progress', () => {
  it('writes plain lines when the stream is not a terminal: start, the phase\'s own lines, end', async () => {
    const { chunks, stream } = recorder(false);
    const value = await new Progress(stream).run('starting', async (log) => {
      log('building etcd');
      return 42;
    });
    expect(value).toBe(42);
    const text = chunks.join('');
    expect(text).not.toContain('\r');
    expect(text).not.toContain('\x1b');
    expect(text).toMatch(/^… starting\n {2}building etcd\n✓ starting \(\d+\.\d s\)\n$/);
  });

  it('redraws one line in place on a terminal and prints the phase\'s lines above it', async () => {
    const { chunks, stream } = recorder(true);
    await new Progress(stream).run('starting', async (log) => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      log('built etcd');
    });
    const text = chunks.join('');
    expect(text.startsWith('\r\x1b[2K⠋ starting 0.0 s')).toBe(true);
    expect(chunks.filter((chunk) => chunk.includes('starting') && chunk.startsWith('\r\x1b[2K')).length).toBeGreaterThanOrEqual(3);
    expect(text).toContain('\r\x1b[2K  built etcd\n');
    expect(text).toMatch(/\r\x1b\[2K✓ starting \(\d+\.\d s\)\n$/);
  });

  it('cuts the redrawn line to the terminal width, so it never wraps', async () => {
    const chunks: string[] = [];
    await new Progress({ isTTY: true, columns: 20, write: (text: string) => chunks.push(text) }).run('a rather long label for a narrow terminal', async () => {});
    const drawn = chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K⠋'));
    expect(drawn).toEqual(['\r\x1b[2K⠋ a rather long lab']);
  });

  it('ends with ✗ and rethrows when the phase fails', async () => {
    const { chunks, stream } = recorder(false);
    await expect(new Progress(stream).run('starting', async () => Promise.reject(new Error('no binaries')))).rejects.toThrow('no binaries');
    expect(chunks.at(-1)).toMatch(/^✗ starting \(/);
  });

  it('formats seconds, and minutes past a minute', () => {
    expect(formatSeconds(1234)).toBe('1.2 s');
    expect(formatSeconds(185_000)).toBe('3 min 05 s');
  });
});
