/**
 * An embedded Argo CD stand-in backed by real Git repositories, for demos, development and
 * end-to-end tests. Never for production.
 *
 * @packageDocumentation
 */

export { gitOpsSandboxPlugin as default } from './plugin';
export {
  sandboxAuthModule,
  SANDBOX_USER_HEADER,
} from './signIn/sandboxAuthModule';
export { startArgoCdSandbox } from './server/startArgoCdSandbox';
export type {
  ArgoCdSandbox,
  ArgoCdSandboxOptions,
} from './server/startArgoCdSandbox';
export { GitController } from './controller/GitController';
export type { GitControllerOptions } from './controller/GitController';
export { SANDBOX_HEALTH_ANNOTATION } from './controller/resourceHealth';
export { SandboxRepositories } from './git/SandboxRepositories';
export { SANDBOX_ADMIN_TOKEN } from './sandboxToken';
export {
  SANDBOX_GITHUB_SERVICE_LOGIN,
  SANDBOX_GITHUB_TOKEN,
  SANDBOX_GITHUB_USER_TOKENS,
} from './github/sandboxGitHub';
export { SANDBOX_USERS } from './seed/sandboxUsers';
export type { SandboxUser } from './seed/sandboxUsers';
export { SANDBOX_TENANTS } from './seed/seedSandbox';
export { seedScale } from './seed/seedScale';
export type { KubernetesObject } from './manifests/KubernetesObject';
