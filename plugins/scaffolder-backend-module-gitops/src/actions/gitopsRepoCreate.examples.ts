import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Lay out a Kustomize service for dev and production in the tenant repository',
    example: stringify({
      steps: [
        {
          id: 'repo',
          action: 'kupe:gitops-repo:create',
          name: 'GitOps repository',
          input: {
            repoUrl: 'https://git.example.com/acme/gitops.git',
            tenant: 'acme',
            name: 'web',
            owner: 'group:default/team-a',
            manifestType: 'kustomize',
            image: 'registry.example.com/acme/web',
            environments: [
              { name: 'dev', imageTag: '1.4.0' },
              { name: 'production', imageTag: '1.3.2', replicas: 3 },
            ],
            directPush: true,
          },
        },
      ],
    }),
  },
  {
    description: 'Lay out a Helm chart with a values file per environment',
    example: stringify({
      steps: [
        {
          id: 'repo',
          action: 'kupe:gitops-repo:create',
          name: 'GitOps repository',
          input: {
            repoUrl: 'https://git.example.com/acme/gitops.git',
            tenant: 'acme',
            name: 'api',
            owner: 'group:default/team-a',
            manifestType: 'helm',
            image: 'registry.example.com/acme/api',
            port: 3000,
            environments: [{ name: 'dev' }, { name: 'staging' }],
            directPush: true,
          },
        },
      ],
    }),
  },
];
