import { HttpClient, type RequestRecipe, type ResponsePromise, type Watch } from '@kgo/rest';

/** One request as it went to the server: method, path, query and body as text. */
export interface Sent {
  method: string;
  path: string;
  query: Record<string, string[]>;
  contentType: string | undefined;
  body: string | undefined;
}

/**
 * An HttpClient that notes every request it sends to the (real) server: what the DynamicClient
 * put on the wire, and proof that a refused call sent nothing.
 */
export class RecordingHttpClient extends HttpClient {
  readonly sent: Sent[] = [];

  override do(recipe: RequestRecipe): ResponsePromise {
    this.#note(recipe);
    return super.do(recipe);
  }

  override watch<T>(recipe: RequestRecipe): Promise<Watch<T>> {
    this.#note(recipe);
    return super.watch<T>(recipe);
  }

  /** The requests sent since the last call (and forgets them). */
  take(): Sent[] {
    return this.sent.splice(0);
  }

  #note(recipe: RequestRecipe): void {
    const query: Record<string, string[]> = {};
    for (const [key, value] of recipe.url.searchParams) (query[key] ??= []).push(value);
    const body = recipe.body === undefined ? undefined : typeof recipe.body === 'string' ? recipe.body : new TextDecoder().decode(recipe.body);
    this.sent.push({ method: recipe.method, path: recipe.url.pathname, query, contentType: recipe.headers['content-type'], body });
  }
}
