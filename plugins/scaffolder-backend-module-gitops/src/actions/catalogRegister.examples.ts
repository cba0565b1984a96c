import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Register the catalog-info.yaml an earlier step wrote; a re-run finds it registered and succeeds',
    example: stringify({
      steps: [
        {
          id: 'register',
          action: 'kupe:catalog:register',
          name: 'Register in the catalog',
          input: {
            catalogInfoUrl:
              'https://github.example.com/acme/gitops/blob/main/apps/web/catalog-info.yaml',
          },
        },
      ],
    }),
  },
];
