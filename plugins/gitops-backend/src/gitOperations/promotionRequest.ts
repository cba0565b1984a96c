import { createHash } from 'node:crypto';
import type { PromotionPreview } from '@kupe/plugin-gitops-common';
import { describeDowngrades } from './promotionDirection';

/** The commit, branch and pull request a promotable preview turns into. */
export interface PromotionRequest {
  title: string;
  message: string;
  branch: string;
  body: string;
}

/**
 * Words a promotion's commit and pull request: the version changes, a confirmed downgrade
 * and who asked. The branch is named by the versions it carries, so a re-run finds it.
 */
export function promotionRequest(
  preview: PromotionPreview & { next: NonNullable<PromotionPreview['next']> },
  from: { name: string },
  requester: string,
): PromotionRequest {
  const to = preview.next.environment;
  const nextName = preview.next.application.name;
  const downgrades = preview.downgrades ?? [];
  const title = `${downgrades.length > 0 ? 'Downgrade' : 'Promote'} ${
    preview.version.label
  } from ${preview.environment} to ${to} (${nextName})`;
  const message = [
    title,
    '',
    ...preview.changes.map(
      c => `- ${c.name}: ${c.from ?? '(unset)'} -> ${c.to}`,
    ),
    ...(preview.chartChanges ?? []).map(
      c =>
        `- ${c.kind === 'chart' ? 'chart' : 'chart dependency'} ${c.name}: ${
          c.from ?? '(unset)'
        } -> ${c.to}`,
    ),
    ...(downgrades.length > 0
      ? [
          '',
          `Downgrade confirmed by ${requester}: ${describeDowngrades(
            downgrades,
          )}`,
        ]
      : []),
    '',
    `Promoted-from: ${from.name}@${preview.version.revision ?? ''}`,
    `Requested-by: ${requester}`,
  ].join('\n');
  const versionKey = createHash('sha256')
    .update(
      JSON.stringify([
        ...preview.changes.map(c => [c.name, c.to]).sort(),
        ...(preview.chartChanges ?? [])
          .map(c => [`${c.kind}:${c.name}`, c.to])
          .sort(),
      ]),
    )
    .digest('hex')
    .slice(0, 12);
  const body = [
    message,
    '',
    preview.requiresApproval
      ? `Production: merge only after approval. Argo CD reconciles ${nextName} once merged.`
      : `Argo CD reconciles ${nextName} once merged.`,
    '',
    'Commits carried over:',
    ...preview.commits.map(
      c => `- ${c.sha.slice(0, 12)} ${c.message} (${c.authorName})`,
    ),
  ].join('\n');
  return {
    title,
    message,
    branch: `kupe/promote/${nextName}-${versionKey}`,
    body,
  };
}
