/**
 * publint over a packed tarball, strict (warnings are errors): the `exports` map, `types` conditions, `files`, module
 * formats — what a consumer's resolver and bundler will meet.
 */
import { publint, type Message } from 'publint';
import { formatMessage } from 'publint/utils';

/**
 * The one message kgo does not act on: a wildcard export whose `@kgo/source` target is not in the tarball. The
 * source condition is the workspace's own (docs/module-format.md): it points at `src/`, which is never published,
 * and no consumer sets it. publint already skips the same case for non-wildcard subpaths ("custom conditions … may
 * use them internally only"); for a wildcard it reports "does not match any files" instead.
 */
export function isWorkspaceSourceCondition(message: Message): boolean {
  return message.code === 'EXPORTS_GLOB_NO_MATCHED_FILES' && message.path.includes('@kgo/source');
}

/** publint's findings for one tarball, formatted, minus {@link isWorkspaceSourceCondition}. */
export async function publintTarball(tarball: Uint8Array, manifest: Record<string, unknown>): Promise<string[]> {
  const buffer = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) as ArrayBuffer;
  const { messages } = await publint({ pack: { tarball: buffer }, strict: true, level: 'suggestion' });
  return messages
    .filter((message) => !isWorkspaceSourceCondition(message))
    .map((message) => `publint ${message.type} ${message.code}: ${formatMessage(message, manifest) ?? message.code}`);
}
