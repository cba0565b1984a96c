import { InputError } from '@backstage/errors';

/**
 * The template's repository URL, refused unless it is an HTTP(S) Git URL without credentials
 * in it (`file:` only where tests allow it: in a server a file remote would let a template
 * write anywhere on the backend's disk).
 */
export function checkRemoteUrl(repoUrl: string, allowFile: boolean): string {
  let url: URL;
  try {
    url = new URL(repoUrl);
  } catch {
    throw new InputError(`repoUrl ${JSON.stringify(repoUrl)} is not a URL`);
  }
  const allowed = allowFile
    ? ['http:', 'https:', 'file:']
    : ['http:', 'https:'];
  if (!allowed.includes(url.protocol)) {
    throw new InputError(
      `repoUrl must be an HTTP(S) Git URL, got ${url.protocol}//`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      'repoUrl must not carry credentials; configure them under integrations',
    );
  }
  return repoUrl;
}
