/**
 * Search collator of Kupe GitOps: every Argo CD Application as an `argocd-application`
 * document that only its tenant (and platform admins) can find.
 *
 * @packageDocumentation
 */

export { searchModuleGitOpsCollator as default } from './module';
export {
  APPLICATION_LIST_FIELDS,
  ArgoCdApplicationCollatorFactory,
  type ArgoCdApplicationCollatorFactoryOptions,
} from './collators/ArgoCdApplicationCollatorFactory';
export type {
  ArgoCdApplicationDocument,
  RunningQuarantine,
} from './collators/ArgoCdApplicationDocument';
