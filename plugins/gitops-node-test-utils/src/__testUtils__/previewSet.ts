import type { ApplicationSet } from '@kupe/plugin-gitops-node';

/** A Git-directory set of `tenant`, as its template names the project. */
export function previewSet(tenant: string, name = `${tenant}-previews`) {
  const set: ApplicationSet = {
    metadata: { name, namespace: 'argocd', labels: { team: tenant } },
    spec: {
      generators: [
        {
          git: {
            repoURL: `https://git.example.com/${tenant}/gitops.git`,
            revision: 'main',
            directories: [{ path: 'previews/*' }],
          },
        },
      ],
      template: {
        metadata: { name: `${tenant}-preview-{{path.basename}}` },
        spec: {
          project: `tenant-${tenant}`,
          source: {
            repoURL: `https://git.example.com/${tenant}/gitops.git`,
            path: '{{path}}',
            targetRevision: 'main',
          },
          destination: {
            name: `${tenant}-dev`,
            namespace: '{{path.basename}}',
          },
        },
      },
    },
  };
  return set;
}
