import type {
  ApplicationSetDetail,
  ApplicationSetGeneratorSummary,
} from '@kupe/plugin-gitops-common';
import type {
  ApplicationSet,
  ApplicationSetGenerator,
} from '@kupe/plugin-gitops-node';

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

/** A list element's parameters as text: fasttemplate only substitutes strings. */
function elementParams(element: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(element).map(([key, value]) => [key, asText(value)]),
  );
}

function generatorSummary(
  generator: ApplicationSetGenerator,
): ApplicationSetGeneratorSummary {
  if (generator.list) {
    return {
      type: 'list',
      elements: (generator.list.elements ?? []).map(elementParams),
    };
  }
  if (generator.git) {
    const git = generator.git;
    return {
      type: 'git',
      repoURL: git.repoURL,
      revision: git.revision || undefined,
      directories: git.directories?.map(d => ({
        path: d.path,
        exclude: d.exclude || undefined,
      })),
      values: git.values,
    };
  }
  // matrix, merge, clusters, scmProvider, pullRequest, plugin...: named, not expanded.
  return { type: Object.keys(generator).find(k => k !== 'selector') ?? '' };
}

/** What the portal shows of an ApplicationSet: no credentials, no template spec beyond the name. */
export function toApplicationSetDetail(
  set: ApplicationSet,
): ApplicationSetDetail {
  const status = set.status ?? {};
  return {
    name: set.metadata.name ?? '',
    namespace: set.metadata.namespace ?? '',
    project: set.spec.template.spec.project,
    templateName: set.spec.template.metadata.name,
    applicationsSync: set.spec.syncPolicy?.applicationsSync ?? 'sync',
    health: status.health
      ? { status: status.health.status, message: status.health.message }
      : undefined,
    conditions: (status.conditions ?? []).map(c => ({
      type: c.type,
      status: c.status,
      reason: c.reason || undefined,
      message: c.message || undefined,
      lastTransitionTime: c.lastTransitionTime,
    })),
    generators: set.spec.generators.map(generatorSummary),
    members: (status.resources ?? [])
      .filter(r => r.kind === 'Application' && r.name)
      .map(r => ({
        name: r.name ?? '',
        sync: r.status || undefined,
        health: r.health?.status || undefined,
      })),
  };
}
