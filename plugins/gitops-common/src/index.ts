/**
 * The Kupe GitOps domain, shared by the browser and the server.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './names';
export * from './tenancy';
export * from './status';
export * from './environments';
export * from './syncPolicy';
export * from './permissions';
export * from './api';
export * from './rollouts';
export * from './dashboards';
export * from './gitOperations';
export * from './canonicalJson';
export * from './semver';
