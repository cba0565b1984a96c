import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'One Application per environment, auto-synced in dev and manual in production',
    example: stringify({
      steps: [
        {
          id: 'apps',
          action: 'kupe:argocd-application:create',
          name: 'Argo CD Applications',
          input: {
            tenant: 'acme',
            name: 'web',
            repoUrl: 'https://git.example.com/acme/gitops.git',
            manifestType: 'kustomize',
            environments: [
              {
                name: 'dev',
                cluster: 'dev',
                syncPolicy: 'auto-prune-self-heal',
              },
              {
                name: 'production',
                cluster: 'production',
                syncPolicy: 'manual',
              },
            ],
          },
        },
      ],
    }),
  },
  {
    description:
      'Helm Applications at the paths and value files the repository step returned',
    example: stringify({
      steps: [
        {
          id: 'apps',
          action: 'kupe:argocd-application:create',
          name: 'Argo CD Applications',
          input: {
            tenant: 'acme',
            name: 'api',
            repoUrl: '${{ steps.repo.output.repoUrl }}',
            manifestType: 'helm',
            paths: '${{ steps.repo.output.paths }}',
            valueFiles: '${{ steps.repo.output.valueFiles }}',
            namespace: 'api',
            environments: [{ name: 'dev', cluster: 'dev', syncPolicy: 'auto' }],
          },
        },
      ],
    }),
  },
];
