import { certificateValidityProblem } from '../errors/certificate-validity.ts';
import { CredentialError } from '../errors/credential-error.ts';
import { decodeStatusError } from '../errors/decode-status.ts';
import { KgoError } from '../errors/kgo-error.ts';
import { toRequestError } from '../errors/network-error.ts';
import { RequestError } from '../errors/request-error.ts';
import type { RequestDescription } from '../errors/request-description.ts';
import { StatusError } from '../errors/status-error.ts';
import type { Authenticator } from '../transport/authenticator.ts';
import { type RateLimiter, sleep } from '../transport/rate-limiter.ts';
import type { BufferedResponse, Transport, TransportRequest } from '../transport/transport.ts';
import { parseWarningHeaders, type Warning, type WarningHandler } from '../transport/warnings.ts';
import { describeRecipe, type RequestRecipe } from './request-recipe.ts';
import { Result } from './result.ts';
import { isRetryableNetworkError, retryAfterSeconds } from './retry.ts';
import { Watch } from './watch.ts';
import { canDecode } from '../protobuf/decode-object.ts';
import { decodeEnvelope } from '../protobuf/envelope.ts';
import { isProtobufContentType } from '../protobuf/media-types.ts';
import { fallBackToJson, refusesContentType } from '../protobuf/negotiation.ts';

/** What the executor needs from its HttpClient. */
export interface ExecutorParts {
  transport: Transport;
  auth: Authenticator;
  rateLimiter: RateLimiter;
  warningHandler: WarningHandler;
  userAgent: string;
  disableCompression: boolean;
  /** The config's own client certificate (PEM), to explain a 401 it caused. */
  clientCertificate?: string | undefined;
}

/** A transport request with the credentials it carries (to report a 401 against them). */
interface PreparedRequest {
  request: TransportRequest;
  used: Awaited<ReturnType<Authenticator['prepare']>>['used'];
}

const ACCEPT_OBJECTS = 'application/json, */*';
const ACCEPT_ANY = '*/*';

/**
 * Sends {@link RequestRecipe}s with client-go's rules: rate limiting (not for watches and
 * streams), credentials, retries after a 429/5xx with Retry-After or a reset GET, warnings, and
 * failures turned into StatusError / RequestError / CredentialError.
 */
export class RequestExecutor {
  readonly #parts: ExecutorParts;

  constructor(parts: ExecutorParts) {
    this.#parts = parts;
  }

  /**
   * Sends the request, retrying by client-go's rules, and resolves with the 2xx result. A
   * request that prefers protobuf is sent once more as JSON (not counted as a retry) when the
   * server refuses protobuf (406/415), or, for a GET, answers a kind the codec cannot decode.
   */
  async do(original: RequestRecipe): Promise<Result> {
    let recipe = original;
    const description = describeRecipe(recipe);
    const signal = callSignal(recipe.signal, recipe.timeoutMs);
    let previous: Error | undefined;
    for (let attempt = 0; ; attempt++) {
      let response: BufferedResponse;
      let warnings: Warning[];
      let request: PreparedRequest;
      try {
        await this.#parts.rateLimiter.acquire(signal);
        request = await this.#transportRequest(recipe, ACCEPT_OBJECTS, signal, description);
        response = await this.#parts.transport.send(request.request);
        warnings = this.#afterResponse(response.status, response.headers, request.used);
      } catch (error) {
        if (KgoError.isInstance(error) && !RequestError.isInstance(error)) throw error;
        const failure = toRequestError(error, description, signal);
        if (attempt < recipe.maxRetries && !signal?.aborted && isRetryableNetworkError(recipe.method, failure.code, failure.message)) {
          previous = failure;
          await sleep(1000, signal).catch((abort) => {
            throw toRequestError(abort, description, signal);
          });
          continue;
        }
        throw withPrevious(failure, previous);
      }
      if (recipe.protobuf && this.#shouldFallBack(recipe, response)) {
        recipe = fallBackToJson(recipe);
        attempt--;
        continue;
      }
      const retryAfter = retryAfterSeconds(response.status, response.headers.get('retry-after'));
      if (retryAfter !== undefined && attempt < recipe.maxRetries) {
        previous = statusErrorOf(response, description, retryAfter);
        await sleep(retryAfter * 1000, signal).catch((abort) => {
          throw withPrevious(toRequestError(abort, description, signal), previous);
        });
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        const error = statusErrorOf(response, description, retryAfter);
        throw withPrevious(this.#explainUnauthorized(error, request.request.clientCertificate), previous);
      }
      return new Result(response.status, response.headers, response.body, warnings, description, recipe.protobuf?.codec);
    }
  }

  /**
   * Whether a protobuf request's answer calls for its JSON form: a 406/415, or a 2xx GET whose
   * protobuf kind the codec cannot decode (so the caller gets the object rather than an error).
   * Both make the client use JSON for this resource from now on.
   */
  #shouldFallBack(recipe: RequestRecipe, response: BufferedResponse): boolean {
    if (refusesContentType(response.status)) return true;
    if (response.status < 200 || response.status > 299) return false;
    if (!isProtobufContentType(response.headers.get('content-type'))) return false;
    let decodable: boolean;
    try {
      decodable = canDecode(decodeEnvelope(response.body).typeMeta, recipe.protobuf?.codec);
    } catch {
      return false; // a broken envelope: Result.into reports it
    }
    if (decodable) return false;
    recipe.protobuf?.preferJson();
    return recipe.method === 'GET';
  }

  /**
   * Starts a watch and resolves once the server accepted it. Not rate-limited and not retried:
   * the caller (or an informer) owns reconnects.
   */
  async watch<T>(recipe: RequestRecipe): Promise<Watch<T>> {
    const { body, abort, signal, description, contentType, protobuf, status } = await this.#open(recipe, ACCEPT_OBJECTS);
    if (!body) {
      // client-go: a watch answered with anything but a stream of events is an error.
      abort.abort();
      throw new RequestError(`${description.verb} ${description.url}: the server answered the watch with status ${status} and no body`, description);
    }
    return new Watch<T>(body, abort, description, signal, {
      contentType,
      protobufCodec: protobuf?.codec,
      onUndecodableKind: () => protobuf?.preferJson(),
    });
  }

  /**
   * Sends the request and returns the response body as a byte stream (logs, other long
   * responses). A 2xx answer without a body (204 No Content: the log of a pod no node runs yet)
   * is an empty stream, as client-go's `Stream` returns the empty body.
   */
  async stream(recipe: RequestRecipe): Promise<ReadableStream<Uint8Array>> {
    return (await this.#open(recipe, ACCEPT_ANY)).body ?? emptyStream();
  }

  async #open(
    original: RequestRecipe,
    accept: string,
  ): Promise<{
    status: number;
    /** Null for a 2xx status that has no body (204). */
    body: ReadableStream<Uint8Array> | null;
    abort: AbortController;
    signal: AbortSignal;
    description: RequestDescription;
    contentType: string;
    protobuf: RequestRecipe['protobuf'];
  }> {
    let recipe = original;
    const description = describeRecipe(recipe);
    const abort = new AbortController();
    const signal = callSignal(recipe.signal, recipe.timeoutMs, abort.signal) as AbortSignal;
    let response: Awaited<ReturnType<Transport['open']>>;
    let clientCertificate: PreparedRequest['request']['clientCertificate'];
    for (;;) {
      try {
        const request = await this.#transportRequest(recipe, accept, signal, description);
        clientCertificate = request.request.clientCertificate;
        response = await this.#parts.transport.open(request.request);
        this.#afterResponse(response.status, response.headers, request.used);
      } catch (error) {
        if (KgoError.isInstance(error) && !RequestError.isInstance(error)) throw error;
        throw toRequestError(error, description, signal);
      }
      if (!recipe.protobuf || !refusesContentType(response.status)) break;
      // Refused in protobuf: read this (small) answer to its end, as for any error, and open the JSON form once.
      if (response.body) await new Response(response.body).arrayBuffer().catch(() => undefined);
      recipe = fallBackToJson(recipe);
    }
    if (response.status < 200 || response.status > 299) {
      const body = response.body ? new Uint8Array(await new Response(response.body).arrayBuffer().catch(() => new ArrayBuffer(0))) : new Uint8Array();
      abort.abort();
      throw this.#explainUnauthorized(statusErrorOf({ status: response.status, headers: response.headers, body }, description, undefined), clientCertificate);
    }
    return { status: response.status, body: response.body, abort, signal, description, contentType: response.headers.get('content-type') ?? '', protobuf: recipe.protobuf };
  }

  /** The transport request: the recipe's headers plus the connection-level ones and credentials. */
  async #transportRequest(
    recipe: RequestRecipe,
    accept: string,
    signal: AbortSignal | undefined,
    description: RequestDescription,
  ): Promise<PreparedRequest> {
    let auth: Awaited<ReturnType<Authenticator['prepare']>>;
    try {
      auth = await this.#parts.auth.prepare(signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      throw CredentialError.from(error, description);
    }
    const headers: Record<string, string> = {
      accept,
      'user-agent': this.#parts.userAgent,
      'accept-encoding': this.#parts.disableCompression ? 'identity' : 'gzip',
      ...recipe.headers,
    };
    if (auth.authorization) headers.authorization = auth.authorization;
    return {
      request: { method: recipe.method, url: recipe.url, headers, body: recipe.body, signal, clientCertificate: auth.clientCertificate },
      used: auth.used,
    };
  }

  /**
   * A 401 to a request that presented a client certificate outside its validity window says so:
   * kube-apiserver's own answer is a bare "Unauthorized".
   */
  #explainUnauthorized(error: StatusError, fromCredentials: { certData: string } | undefined): StatusError {
    const certificate = fromCredentials?.certData ?? this.#parts.clientCertificate;
    if (error.code !== 401 || !certificate) return error;
    const problem = certificateValidityProblem(certificate);
    // The message only: `status` stays what the server sent.
    if (problem) error.message = `${error.message}: ${problem}`;
    return error;
  }

  /** Reports warnings and tells the credential provider about a 401. */
  #afterResponse(status: number, headers: Headers, used: Awaited<ReturnType<Authenticator['prepare']>>['used']): Warning[] {
    if (status === 401) this.#parts.auth.unauthorized(used);
    // Headers.get joins a repeated header with ", ": the parser reads such a list.
    const value = headers.get('warning');
    if (value === null) return [];
    const warnings = parseWarningHeaders([value]);
    for (const warning of warnings) this.#parts.warningHandler(warning);
    return warnings;
  }
}

function statusErrorOf(response: BufferedResponse, description: RequestDescription, retryAfter: number | undefined): StatusError {
  return decodeStatusError(response.status, response.headers.get('content-type') ?? '', response.body, description, retryAfter);
}

/** The caller's signal combined with the call's timeout (and, for watches and streams, their own stop). */
function callSignal(caller: AbortSignal | undefined, timeoutMs: number | undefined, stop?: AbortSignal): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (caller) signals.push(caller);
  if (timeoutMs) signals.push(AbortSignal.timeout(timeoutMs));
  if (stop) signals.push(stop);
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
}

/** A stream that has already ended. */
function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}

function withPrevious<E extends Error>(error: E, previous: Error | undefined): E {
  if (previous && previous !== error && !(StatusError.isInstance(error) && StatusError.isInstance(previous) && error.message === previous.message)) {
    error.message = `${error.message} - error from a previous attempt: ${previous.message}`;
  }
  return error;
}
