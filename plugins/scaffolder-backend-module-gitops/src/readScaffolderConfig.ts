import type { Config } from '@backstage/config';
import type { ManagementClusterConfig } from './argocd/KubernetesApplicationTarget';

export interface ScaffolderSettings {
  /** Set when Applications go to the management cluster instead of Argo CD's API. */
  kubernetes?: ManagementClusterConfig;
}

/** Reads `gitops.scaffolder`; a wrong value fails the backend at startup, naming the key. */
export function readScaffolderConfig(config: Config): ScaffolderSettings {
  const scaffolder = config.getOptionalConfig('gitops.scaffolder');
  const target = scaffolder?.getOptionalString('applicationTarget') ?? 'argocd';
  if (target === 'argocd') return {};
  if (target !== 'kubernetes') {
    throw new Error(
      `Invalid config gitops.scaffolder.applicationTarget: must be argocd or kubernetes, got ${JSON.stringify(
        target,
      )}`,
    );
  }
  const k8s = scaffolder!.getConfig('kubernetes');
  return {
    kubernetes: {
      url: k8s.getString('url'),
      token: k8s.getString('token'),
      caData: k8s.getOptionalString('caData'),
      skipTLSVerify: k8s.getOptionalBoolean('skipTLSVerify'),
      namespace: k8s.getOptionalString('namespace'),
    },
  };
}
