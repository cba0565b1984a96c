import { isError } from '@backstage/errors';
import {
  type LabelSelectorRequirement,
  matchesLabelSelector,
  parseLabelSelector,
} from '@kupe/plugin-gitops-node';
import { ArgoCdApiError, GrpcCode } from './errors';

/**
 * A label selector as the fake's List/Watch evaluate it: the production parser and matcher,
 * with a parse failure answered the way Argo CD answers it.
 *
 * @public
 */
export class LabelSelector {
  readonly #requirements: readonly LabelSelectorRequirement[];

  private constructor(requirements: readonly LabelSelectorRequirement[]) {
    this.#requirements = requirements;
  }

  static parse(selector: string): LabelSelector {
    try {
      return new LabelSelector(parseLabelSelector(selector));
    } catch (error) {
      // ApplicationService.List wraps labels.Parse's error in a plain error: code Unknown, 500.
      throw new ArgoCdApiError(
        GrpcCode.Unknown,
        `error parsing the selector: ${
          isError(error) ? error.message : String(error)
        }`,
      );
    }
  }

  matches(labels: Record<string, string> | undefined): boolean {
    return matchesLabelSelector(this.#requirements, labels);
  }
}
