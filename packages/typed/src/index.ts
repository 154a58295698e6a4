// The generated ClientSet comes with issue #10; until then @kgo/typed re-exports the apiVersion
// helpers its clients will use, from their one home in @kgo/rest.
export { formatApiVersion, parseApiVersion } from '@kgo/rest';
