import type { LabelSelectorRequirement } from '@kupe/plugin-gitops-node';

/** Whether labels satisfy every requirement, with Kubernetes semantics (`!=` matches absent). */
export function labelSelectorMatches(
  requirements: readonly LabelSelectorRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = has ? labels[key] : undefined;
    switch (operator) {
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      case 'Equals':
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotEquals':
      case 'NotIn':
        return value === undefined || !values.includes(value);
      default:
        return false;
    }
  });
}
