import type { DiscoveryOptions } from '../discovery-interface.ts';

/** One entry of the OpenAPI v3 index (`/openapi/v3`): where the group-version's document lives. */
export interface OpenAPIV3IndexEntry {
  /** Path on the server, with a content hash: `/openapi/v3/apis/apps/v1?hash=ABC...`. */
  serverRelativeURL: string;
}

/** The OpenAPI v3 index the server serves at `/openapi/v3` (kube-openapi `handler3.OpenAPIV3Discovery`). */
export interface OpenAPIV3Index {
  /** Keyed by path: `api/v1`, `apis/apps/v1`, `apis` , `version`, ... */
  paths: Record<string, OpenAPIV3IndexEntry>;
}

/** An OpenAPI v3 document (a group-version's schema); only the top-level fields are typed. */
export interface OpenAPIV3Document {
  openapi: string;
  info: { title?: string; version?: string; [key: string]: unknown };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [key: string]: unknown };
  [key: string]: unknown;
}

/** One group-version's OpenAPI v3 document, as listed by the index (client-go `openapi.GroupVersion`). */
export interface OpenAPIGroupVersion {
  /** The index path (`apis/apps/v1`). */
  readonly path: string;
  /** Where the document lives, with its hash (`/openapi/v3/apis/apps/v1?hash=...`). */
  readonly serverRelativeURL: string;
  /** The `hash` query parameter of {@link serverRelativeURL} (changes when the document changes), if any. */
  readonly hash: string | undefined;
  /** Fetches and decodes the document (JSON). */
  schema(options?: DiscoveryOptions): Promise<OpenAPIV3Document>;
}

/** The server's OpenAPI v3 documents (client-go `openapi.Client`). */
export interface OpenAPIV3Client {
  /** Reads the index (`/openapi/v3`): one entry per path, keyed by path (`apis/apps/v1`). */
  paths(options?: DiscoveryOptions): Promise<Map<string, OpenAPIGroupVersion>>;
}
