export { formatApiVersion, parseApiVersion } from './api-version.ts';
