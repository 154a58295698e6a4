export { type ServerVersion, serverVersion } from './server-version.ts';
