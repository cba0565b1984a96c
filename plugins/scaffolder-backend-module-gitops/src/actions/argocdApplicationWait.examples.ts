import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Wait up to five minutes for the dev Application to be Synced and Healthy',
    example: stringify({
      steps: [
        {
          id: 'wait',
          action: 'kupe:argocd-application:wait',
          name: 'Wait for dev',
          input: {
            tenant: 'acme',
            applications: ['web-dev'],
            timeoutSeconds: 300,
          },
        },
      ],
    }),
  },
];
