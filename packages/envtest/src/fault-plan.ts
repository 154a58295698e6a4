/*
 * Which fault a request gets: one draw of a seeded PRNG per request against cumulative rates, so
 * a run with the same seed and the same request order meets the same faults (a failure replays).
 */

/**
 * The faults a {@link FaultProxy} injects into ordinary (non-watch) requests.
 *
 * - `reset`: the connection is reset before the request is forwarded (the server never sees it).
 * - `reset-after-forward`: the server handled the request; the connection is reset before its
 *   response is sent (a write may have been applied although the client sees an error).
 * - `stall`: the request is forwarded, then the proxy sends nothing for `stallMs` and resets the
 *   connection (a silent server that finally gives up).
 * - `slow-body`: the response is sent in small chunks with pauses (it arrives whole, late).
 * - `truncated-body`: the response claims its full `Content-Length` but only part is sent before
 *   the connection closes (client-go's "unexpected EOF").
 * - `goaway` (HTTP/2 only; HTTP/1.1 gets `Connection: close`): the proxy sends GOAWAY naming the
 *   last stream it has seen (so every stream already forwarded is answered, this one included) and
 *   closes the connection gracefully, as kube-apiserver does with `--goaway-chance`; streams the
 *   client opened meanwhile were never processed and must be sent on a new connection.
 * - `429`, `500`, `503`, and the same with `-retry-after`: the proxy answers with that status
 *   (a `Status` body; with `Retry-After: <retryAfterSeconds>` for the latter) without forwarding.
 */
export type FaultKind =
  | 'reset'
  | 'reset-after-forward'
  | 'stall'
  | 'slow-body'
  | 'truncated-body'
  | 'goaway'
  | '429'
  | '429-retry-after'
  | '500'
  | '500-retry-after'
  | '503'
  | '503-retry-after';

/** Every fault kind, in the order the draw walks them. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'reset',
  'reset-after-forward',
  'stall',
  'slow-body',
  'truncated-body',
  'goaway',
  '429',
  '429-retry-after',
  '500',
  '500-retry-after',
  '503',
  '503-retry-after',
];

/** Per-request probability of each fault kind (0 to 1; their sum at most 1). */
export type FaultRates = Partial<Record<FaultKind, number>>;

/**
 * Spreads a total fault rate evenly over the given kinds (default: every kind): `spreadRates(0.05)`
 * is 5 % of requests faulted, each kind equally often.
 */
export function spreadRates(total: number, kinds: readonly FaultKind[] = FAULT_KINDS): FaultRates {
  return Object.fromEntries(kinds.map((kind) => [kind, total / kinds.length]));
}

/** Checks rates: each in [0, 1], the sum at most 1. */
export function validateRates(rates: FaultRates): void {
  let sum = 0;
  for (const [kind, rate] of Object.entries(rates)) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new Error(`fault proxy: unknown fault kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`fault proxy: the rate of "${kind}" must be a number in [0, 1], not ${String(rate)}`);
    sum += rate;
  }
  if (sum > 1 + 1e-9) throw new Error(`fault proxy: the fault rates add up to ${sum}, more than 1`);
}

/** mulberry32: a small, fast, deterministic 32-bit PRNG; good enough to pick faults. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fault for one draw `u` in [0, 1), or undefined (most requests). */
export function pickFault(rates: FaultRates, u: number): FaultKind | undefined {
  let cumulative = 0;
  for (const kind of FAULT_KINDS) {
    cumulative += rates[kind] ?? 0;
    if (u < cumulative) return kind;
  }
  return undefined;
}

/** The seed to use: the given one, else `KGO_FAULT_SEED`, else a random one (printed on failure to replay). */
export function resolveSeed(seed: number | undefined): number {
  if (seed !== undefined) return seed >>> 0;
  const fromEnv = process.env.KGO_FAULT_SEED;
  if (fromEnv && /^\d+$/.test(fromEnv)) return Number(fromEnv) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}
