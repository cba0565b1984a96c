import type { z } from 'zod/v3';
import { MANIFEST_TYPES } from '../layouts/types';

type Z = typeof z;

/** Inputs of `kupe:gitops-repo:create`. */
export const gitOpsRepoCreateInput = {
  repoUrl: (z: Z) =>
    z.string({
      description:
        "HTTP(S) clone URL of the tenant's GitOps repository; must be allowed by the tenant AppProject's sourceRepos",
    }),
  tenant: (z: Z) => z.string({ description: 'Tenant owning the service' }),
  name: (z: Z) => z.string({ description: 'Service name (a DNS-1123 label)' }),
  owner: (z: Z) =>
    z.string({
      description: 'Owner entity ref, e.g. group:default/team-a',
    }),
  codeOwners: (z: Z) =>
    z
      .array(z.string(), {
        description:
          'CODEOWNERS handles for the service; default @<owner group name>, on GitHub @<organization>/<owner group name>',
      })
      .optional(),
  manifestType: (z: Z) =>
    z
      .enum(MANIFEST_TYPES, { description: 'kustomize, helm or plain' })
      .default('kustomize'),
  image: (z: Z) =>
    z.string({
      description:
        'Container image without tag, e.g. registry.example.com/acme/web',
    }),
  port: (z: Z) =>
    z
      .number({ description: 'Container port' })
      .int()
      .min(1)
      .max(65535)
      .default(8080),
  environments: (z: Z) =>
    z
      .array(
        z.object({
          name: z.string({ description: 'Environment, e.g. dev' }),
          imageTag: z.string().default('latest'),
          replicas: z.number().int().min(0).default(1),
          cluster: z.string().optional(),
          namespace: z.string().optional(),
          syncPolicy: z.string().optional(),
        }),
        { description: 'Environments in promotion order' },
      )
      .min(1),
  targetBranch: (z: Z) =>
    z.string({ description: 'Branch Argo CD deploys from' }).default('main'),
  directPush: (z: Z) =>
    z
      .boolean({
        description:
          'Push straight to targetBranch when the host cannot open pull requests',
      })
      .default(false),
  instance: (z: Z) =>
    z
      .string({
        description:
          'Argo CD instance holding the tenant project; default the first configured',
      })
      .optional(),
  catalogInfo: (z: Z) =>
    z
      .record(z.unknown(), {
        description:
          'Catalog entity of the service, written as apps/<name>/catalog-info.yaml next to its manifests',
      })
      .optional(),
  catalogInfoUrl: (z: Z) =>
    z
      .string({
        description:
          'Where the catalog will read the entity from when not from this repository (a template override); the catalog check compares it with what is registered, and it is passed on as the catalogInfoUrl output',
      })
      .optional(),
};

/** Outputs of `kupe:gitops-repo:create`. */
export const gitOpsRepoCreateOutput = {
  repoUrl: (z: Z) => z.string(),
  commitSha: (z: Z) =>
    z
      .string({
        description: 'Commit now holding the layout (absent in dry-run)',
      })
      .optional(),
  paths: (z: Z) =>
    z.record(z.string(), {
      description: 'Environment → path in the repository',
    }),
  valueFiles: (z: Z) =>
    z
      .record(z.array(z.string()), {
        description: 'Environment → Helm value files (Helm layouts only)',
      })
      .optional(),
  pullRequestUrl: (z: Z) => z.string().optional(),
  catalogInfoPath: (z: Z) =>
    z
      .string({
        description:
          'Repository path of the written catalog-info.yaml (with catalogInfo)',
      })
      .optional(),
  catalogInfoUrl: (z: Z) =>
    z
      .string({
        description:
          'URL the catalog can read catalog-info.yaml from on the target branch, for catalog:register; absent for a pull request or a host whose file URLs are unknown',
      })
      .optional(),
  changed: (z: Z) =>
    z.boolean({ description: 'Whether this run committed anything' }),
};
