/** One version of an API group as discovery lists it (apimachinery `metav1.GroupVersionForDiscovery`). */
export interface GroupVersionForDiscovery {
  /** `<group>/<version>`, or just `<version>` for the core group (`v1`, `apps/v1`). */
  groupVersion: string;
  /** The version alone (`v1`). */
  version: string;
}

/** An API group and the versions the server serves of it (apimachinery `metav1.APIGroup`). */
export interface APIGroup {
  kind?: string;
  apiVersion?: string;
  /** The group's name; `''` for the core group. */
  name: string;
  /** Served versions, most preferred first. */
  versions: GroupVersionForDiscovery[];
  /** The version clients should use when they have no preference (the server's choice). */
  preferredVersion?: GroupVersionForDiscovery;
  /** Legacy field: client CIDRs mapped to server addresses (rarely set). */
  serverAddressByClientCIDRs?: { clientCIDR: string; serverAddress: string }[];
}

/** The groups a server offers (`GET /apis`, with the core group prepended by discovery clients) (`metav1.APIGroupList`). */
export interface APIGroupList {
  kind?: string;
  apiVersion?: string;
  groups: APIGroup[];
}

/** The legacy `/api` document: the core group's versions (`metav1.APIVersions`). */
export interface APIVersions {
  kind?: string;
  apiVersion?: string;
  versions: string[];
  serverAddressByClientCIDRs?: { clientCIDR: string; serverAddress: string }[];
}
