// Loads every runtime @kgo package and prints what each exports (names and kinds, sorted), so a
// bundled run can be compared line by line with the unbundled one: a module that fails to load or
// to evaluate once bundled shows up as an error or a missing line.
import * as discoveryCache from '@kgo/discovery-cache';
import * as discovery from '@kgo/discovery';
import * as dynamic from '@kgo/dynamic';
import * as kubeconfig from '@kgo/kubeconfig';
import * as rest from '@kgo/rest';
import * as typed from '@kgo/typed';

const packages = { '@kgo/discovery': discovery, '@kgo/discovery-cache': discoveryCache, '@kgo/dynamic': dynamic, '@kgo/kubeconfig': kubeconfig, '@kgo/rest': rest, '@kgo/typed': typed };
for (const [name, module] of Object.entries(packages)) {
  const exports = Object.keys(module).sort().map((key) => `${key}:${typeof module[key]}`);
  console.log(`${name} ${exports.join(' ')}`);
}
console.log(`user agent version ${rest.KGO_REST_VERSION}`);
