/** A short view of where two texts first differ, for a stale-report message: a few lines of each side. */
export function firstDifference(expected: string, actual: string, context = 3): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let line = 0;
  while (line < a.length && line < b.length && a[line] === b[line]) line++;
  if (line === a.length && line === b.length) return 'no difference';
  const show = (lines: string[], mark: string) =>
    lines
      .slice(line, line + context)
      .map((text) => `${mark} ${text}`)
      .join('\n');
  return [`first difference at line ${line + 1} (- committed, + built):`, show(a, '-'), show(b, '+')].filter(Boolean).join('\n');
}
