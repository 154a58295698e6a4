// Two layers released against different @kgo/rest versions (kubeconfig and discovery), one
// @kgo/rest chosen by the app: a client from kubeconfig's config, used by discovery, and errors
// raised under either layer, checked with the app's own @kgo/rest classes.
// Usage: node two-layers.mjs <admin kubeconfig> <kubeconfig whose exec plugin is not installed>
import { serverVersion } from '@kgo/discovery';
import { loadConfig } from '@kgo/kubeconfig';
import { isUnauthorized, KGO_REST_VERSION, KgoError, RestClient, StatusError } from '@kgo/rest';

const [adminKubeconfig, execKubeconfig] = process.argv.slice(2);
const errorOf = (promise) => promise.then(() => undefined, (error) => error);

const { config } = await loadConfig({ explicitPath: adminKubeconfig });
const version = await serverVersion(new RestClient(config));
const badToken = await errorOf(serverVersion(new RestClient({ host: config.host, tls: { caData: config.tls?.caData }, bearerToken: 'not-a-valid-token' })));
const exec = await loadConfig({ explicitPath: execKubeconfig });
const plugin = await errorOf(serverVersion(new RestClient(exec.config)));

console.log(JSON.stringify({
  restVersion: KGO_REST_VERSION,
  gitVersion: version.gitVersion,
  badToken: { name: badToken?.name, instanceOf: badToken instanceof StatusError, isInstance: StatusError.isInstance(badToken), unauthorized: isUnauthorized(badToken) },
  plugin: { name: plugin?.name, instanceOf: plugin instanceof KgoError, isInstance: KgoError.isInstance(plugin), message: String(plugin?.message) },
}));
