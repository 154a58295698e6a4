import { restConfigFor, testCluster } from '@kgo/envtest/vitest';
import { RestClient } from '@kgo/rest';
import { afterAll, expect, it } from 'vitest';
import { unwrapEnvelope } from './__fixtures__/protobuf-envelope.ts';
import { coreV1Protobuf } from './generated/core/v1/protobuf.ts';
import { apiregistrationV1Protobuf } from './generated/apiregistration/v1/protobuf.ts';
import { flowcontrolV1Protobuf } from './generated/flowcontrol/v1/protobuf.ts';

const core = new RestClient(restConfigFor(testCluster()), { groupVersion: { group: '', version: 'v1' } });
afterAll(() => core.close());

for (const [path, codec] of [['/api/v1/namespaces', coreV1Protobuf], ['/api/v1/services', coreV1Protobuf], ['/apis/apiregistration.k8s.io/v1/apiservices', apiregistrationV1Protobuf], ['/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas', flowcontrolV1Protobuf], ['/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations', flowcontrolV1Protobuf]] as const) {
  it(path, async () => {
    const json = await core.get().absPath(path).do().into<{ metadata: { resourceVersion: string } }>();
    const body = await core.get().absPath(path).param('resourceVersion', json.metadata.resourceVersion).param('resourceVersionMatch', 'Exact').setHeader('Accept', 'application/vnd.kubernetes.protobuf').do().raw();
    const { apiVersion, kind, raw } = unwrapEnvelope(body);
    expect(codec.decode({ apiVersion, kind }, raw)).toEqual(json);
  });
}
