import { type RateLimiter, type RestConfig, TokenBucketRateLimiter } from '@kgo/rest';

// @kgo/rest's defaults for a config without a limiter of its own (HttpClient's rateLimiterFor).
const DEFAULT_QPS = 5;
const DEFAULT_BURST = 10;

/**
 * Counts the requests clients send, through the one seam every request passes: the rate
 * limiter. @kgo/rest takes a token before sending each request and each retry (watches
 * excepted), so the count is what went on the wire — a 304 revalidation counts, an answer served
 * from a cache file does not. The limiting itself is kept: each counted config still waits on a
 * token bucket with the config's own QPS and burst.
 */
export class RequestCounter {
  #count = 0;

  /** Requests sent so far through configs made by {@link RequestCounter.counted}. */
  get count(): number {
    return this.#count;
  }

  /**
   * The config with a rate limiter that counts: the config's own `rateLimiter`, else a token bucket
   * with its `qps`/`burst` (@kgo/rest's defaults, 5/10; none for a negative `qps`).
   */
  counted(config: RestConfig): RestConfig {
    const inner = config.rateLimiter ?? limiterFor(config);
    const limiter: RateLimiter = {
      acquire: async (signal) => {
        await inner?.acquire(signal);
        this.#count++;
      },
    };
    return { ...config, rateLimiter: limiter };
  }
}

function limiterFor(config: RestConfig): RateLimiter | undefined {
  const qps = config.qps ?? DEFAULT_QPS;
  if (qps < 0) return undefined;
  return new TokenBucketRateLimiter(qps === 0 ? DEFAULT_QPS : qps, config.burst || DEFAULT_BURST);
}
