/** One warning from a `Warning: 299 <agent> "<text>"` response header. */
export interface Warning {
  /** Warn code; the API server uses 299. */
  code: number;
  /** Warn agent, `-` when unset. */
  agent: string;
  text: string;
}

/** Receives the warnings of each response. */
export type WarningHandler = (warning: Warning) => void;

/**
 * Parses `Warning` header values (RFC 7234 §5.5: `code SP agent SP quoted-text [SP date]`, several
 * comma-separated per header). Malformed entries are skipped, as client-go does.
 */
export function parseWarningHeaders(values: string[]): Warning[] {
  const warnings: Warning[] = [];
  for (const value of values) {
    let rest = value.trim();
    while (rest.length > 0) {
      const match = /^(\d{3}) (\S+) "/.exec(rest);
      if (!match) break;
      let i = match[0].length;
      let text = '';
      let closed = false;
      for (; i < rest.length; i++) {
        const char = rest[i];
        if (char === '\\' && i + 1 < rest.length) {
          text += rest[++i];
        } else if (char === '"') {
          closed = true;
          i++;
          break;
        } else {
          text += char;
        }
      }
      if (!closed) break;
      // An optional quoted date may follow; skip to the next comma outside quotes.
      const next = rest.slice(i).search(/,\s*\d{3} /);
      warnings.push({ code: Number(match[1]), agent: match[2] ?? '-', text });
      if (next < 0) break;
      rest = rest.slice(i + next + 1).trim();
    }
  }
  return warnings;
}

/**
 * The default handler: prints `Warning: <text>` to stderr once per distinct text for the life
 * of the process, like kubectl.
 */
export function createDeduplicatingWarningHandler(write: (line: string) => void = (line) => process.stderr.write(line)): WarningHandler {
  const seen = new Set<string>();
  return (warning) => {
    if (warning.code !== 299 || seen.has(warning.text)) return;
    seen.add(warning.text);
    write(`Warning: ${warning.text}\n`);
  };
}

/** A handler that ignores warnings. */
export const ignoreWarnings: WarningHandler = () => {};
