import type { RestClient } from '../../rest-client.ts';

/** Who the API server says the client is (a SelfSubjectReview): for authentication tests. */
export async function whoAmI(client: RestClient): Promise<{ username: string; groups: string[] }> {
  const result = await client
    .post()
    .absPath('/apis/authentication.k8s.io/v1/selfsubjectreviews')
    .body({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' })
    .do();
  return result.into<{ status: { userInfo: { username: string; groups: string[] } } }>().status.userInfo;
}
