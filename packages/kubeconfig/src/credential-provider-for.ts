import type { CredentialProvider } from '@kgo/rest';
import type { BuildRestConfigOptions } from './build-rest-config.ts';
import type { AuthInfo } from './config-types.ts';
import type { Selection } from './context-selection.ts';
import { KubeconfigError } from './errors/kubeconfig-error.ts';
import { ExecCredentialProvider } from './exec-credentials.ts';
import { execClusterInfo } from './exec-info.ts';
import { OidcCredentialProvider } from './oidc.ts';

/**
 * The credential provider a user's exec plugin or auth provider calls for, as client-go builds its
 * authenticator: an {@link ExecCredentialProvider} for `exec` (told the cluster when
 * `provideClusterInfo` is set), an {@link OidcCredentialProvider} for `auth-provider: oidc`, none
 * without either. Made even when {@link buildRestConfig} will not use it, so a bad plugin or provider
 * config is reported as client-go reports it.
 *
 * @throws KubeconfigError for removed (`gcp`, `azure`) and unknown auth providers and invalid plugin or provider config.
 */
export function credentialProviderFor(
  selection: Selection,
  host: string,
  caData: string | undefined,
  options: BuildRestConfigOptions,
): CredentialProvider | undefined {
  const { user, userName, cluster } = selection;
  if (user.exec) {
    return new ExecCredentialProvider({
      exec: user.exec,
      cluster: user.exec.provideClusterInfo ? execClusterInfo(cluster, host, caData) : undefined,
      userName,
      file: user.origin,
      env: options.env,
      stdinIsTerminal: options.stdinIsTerminal,
    });
  }
  const provider = user['auth-provider'];
  if (!provider) return undefined;
  return authProviderFor(provider.name, provider.config ?? {}, userName, user, options);
}

function authProviderFor(
  name: string,
  config: Record<string, string>,
  userName: string,
  user: AuthInfo & { origin?: string | undefined },
  options: BuildRestConfigOptions,
): CredentialProvider {
  const file = user.origin;
  const field = `users[${userName}].user.auth-provider.name`;
  if (name === 'oidc') {
    const persist = options.persistAuthProvider;
    return new OidcCredentialProvider({ config, userName, file, persist: persist ? (next) => persist(userName, next) : undefined });
  }
  // The cloud providers were removed from client-go (1.26); their replacements are exec plugins.
  const replacements: Record<string, string> = { gcp: 'gke-gcloud-auth-plugin', azure: 'kubelogin' };
  const replacement = replacements[name];
  if (replacement) {
    throw new KubeconfigError(
      `The ${name} auth plugin has been removed. Please use the "${replacement}" kubectl/client-go credential plugin instead (user "${userName}"${file ? ` in ${file}` : ''})`,
      { file, field },
    );
  }
  throw new KubeconfigError(`no Auth Provider found for name "${name}" (user "${userName}"${file ? ` in ${file}` : ''}); only oidc is supported, use an exec plugin instead`, {
    file,
    field,
  });
}
