import {
  ENVIRONMENT_LABEL,
  KUBERNETES_ID_LABEL,
  TENANT_LABEL,
} from '@kupe/plugin-gitops-common';
import type { Application, ApplicationSet } from '@kupe/plugin-gitops-node';
import type { ArgoCdFake } from '@kupe/plugin-gitops-node-test-utils';
import { stringify } from 'yaml';
import type { GitController } from '../controller/GitController';
import type { SandboxRepositories } from '../git/SandboxRepositories';
import {
  deploymentYaml,
  kustomizationYaml,
  serviceYaml,
} from './seedManifests';

/** acme's storefront: generated preview apps and an app of apps, apart from acme-web. */
export const STOREFRONT = 'acme-storefront';
/** The ApplicationSet of acme's previews: one app per directory under `previews/`. */
export const PREVIEWS_SET = `${STOREFRONT}-previews`;
/** The app of apps whose children (dev, staging) are Application manifests in Git. */
export const STOREFRONT_PARENT = `${STOREFRONT}-envs`;

const REPO = 'acme/gitops';
const IMAGE = 'registry.acme.example/acme-storefront';
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';
const ALICE = { name: 'Alice Schmidt', email: 'alice@acme.example' };

const labels = (environment: string) => ({
  [TENANT_LABEL]: 'acme',
  [ENVIRONMENT_LABEL]: environment,
  [KUBERNETES_ID_LABEL]: STOREFRONT,
});

/** A child Application manifest of the app of apps, as it is kept in Git. */
function childManifest(repoURL: string, environment: 'dev' | 'staging') {
  const app: Application = {
    metadata: {
      name: `${STOREFRONT}-${environment}`,
      namespace: 'argocd',
      labels: labels(environment),
      finalizers: [FINALIZER],
    },
    spec: {
      project: 'tenant-acme',
      source: {
        repoURL,
        path: `apps/${STOREFRONT}/overlays/${environment}`,
        targetRevision: 'main',
      },
      destination: { name: `acme-${environment}`, namespace: STOREFRONT },
      syncPolicy: {
        automated: { prune: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
  return stringify({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    ...app,
  });
}

/** The files of the storefront, its previews and its app of apps in acme's repository. */
export function storefrontFiles(repoURL: string): Record<string, string> {
  const base = `apps/${STOREFRONT}/base`;
  const overlay = (tag: string, resources = ['../../base']) =>
    kustomizationYaml(resources, [{ name: IMAGE, newTag: tag }]);
  return {
    [`${base}/deployment.yaml`]: deploymentYaml(STOREFRONT, `${IMAGE}:2.1.0`, {
      replicas: 1,
    }),
    [`${base}/service.yaml`]: serviceYaml(STOREFRONT),
    [`${base}/kustomization.yaml`]: kustomizationYaml([
      'deployment.yaml',
      'service.yaml',
    ]),
    [`apps/${STOREFRONT}/overlays/dev/kustomization.yaml`]: overlay('2.1.0'),
    [`apps/${STOREFRONT}/overlays/staging/kustomization.yaml`]:
      overlay('2.0.3'),
    'previews/checkout-redesign/kustomization.yaml': overlay('2.2.0-checkout', [
      `../../${base}`,
    ]),
    'previews/dark-mode/kustomization.yaml': overlay('2.2.0-dark', [
      `../../${base}`,
    ]),
    // Excluded by the set's generator: a directory is not always a preview.
    'previews/_template/README.md':
      '# Preview template\n\nCopy this folder to previews/<name> to get a preview app.\n',
    'platform/storefront/dev.yaml': childManifest(repoURL, 'dev'),
    'platform/storefront/staging.yaml': childManifest(repoURL, 'staging'),
  };
}

/** acme's preview ApplicationSet: the Git directory generator over `previews/*`. */
export function previewsSet(repoURL: string): ApplicationSet {
  return {
    metadata: { name: PREVIEWS_SET, namespace: 'argocd' },
    spec: {
      generators: [
        {
          git: {
            repoURL,
            revision: 'main',
            directories: [
              { path: 'previews/*' },
              { path: 'previews/_*', exclude: true },
            ],
          },
        },
      ],
      template: {
        metadata: {
          name: `${STOREFRONT}-preview-{{path.basename}}`,
          labels: labels('preview'),
          finalizers: [FINALIZER],
        },
        spec: {
          project: 'tenant-acme',
          source: { repoURL, path: '{{path}}', targetRevision: 'main' },
          destination: {
            name: 'acme-dev',
            namespace: `${STOREFRONT}-{{path.basename}}`,
          },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
          },
        },
      },
      syncPolicy: { applicationsSync: 'sync' },
    },
  };
}

/**
 * Seeds acme's storefront: its files in acme's GitOps repository (one commit, only when
 * `previews/` is not there yet), the previews ApplicationSet, and the app of apps, deployed
 * so that its children exist once the ApplicationSet controller's first pass has run.
 */
export async function seedApplicationSets(
  fake: ArgoCdFake,
  controller: GitController,
  repos: SandboxRepositories,
): Promise<void> {
  const repoURL = repos.urlOf(REPO);
  const repository = repos.repository(REPO);
  const present = await repository?.listDirectory('main', 'previews');
  if (!present) {
    await repos.commit(REPO, {
      author: { ...ALICE, date: new Date().toISOString() },
      message: `Add ${STOREFRONT}: dev and staging as an app of apps, previews by directory`,
      files: storefrontFiles(repoURL),
    });
  }
  fake.applicationSets.put(previewsSet(repoURL));
  fake.putApplication({
    metadata: {
      name: STOREFRONT_PARENT,
      namespace: 'argocd',
      labels: labels('dev'),
      finalizers: [FINALIZER],
    },
    spec: {
      project: 'tenant-acme',
      source: { repoURL, path: 'platform/storefront', targetRevision: 'main' },
      destination: { name: 'acme-dev', namespace: 'argocd' },
      syncPolicy: { automated: { prune: true } },
    },
    status: { sync: { status: '' }, health: {}, summary: {} },
  });
  await controller.deploy(
    { name: STOREFRONT_PARENT, namespace: 'argocd' },
    'main',
  );
}
