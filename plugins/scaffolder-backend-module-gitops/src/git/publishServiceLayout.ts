import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  GitCommandError,
  type GitHubHost,
  type GitWorkingCopy,
  type RemoteState,
} from '@kupe/plugin-gitops-node';
import { NOTHING_WRITTEN, plainMessage } from '../plan/messages';

/** How a service's layout reaches the target branch. */
export type PublishMode = 'initial' | 'direct' | 'pull-request';

/**
 * A new or empty repository gets the initial commit; an existing branch is pushed to only
 * when asked, else changed by pull request. Undefined when neither is possible.
 */
export function publishMode(
  state: RemoteState,
  directPush: boolean,
  canOpenPullRequest: boolean,
): PublishMode | undefined {
  if (state !== 'existing') return 'initial';
  if (directPush) return 'direct';
  if (canOpenPullRequest) return 'pull-request';
  return undefined;
}

/** What a publish did: the commit now holding the layout, and the pull request if any. */
export type PublishedLayout = {
  commitSha: string;
  pullRequestUrl: string | null;
  changed: boolean;
};

export interface PublishRequest {
  copy: GitWorkingCopy;
  mode: PublishMode;
  repoUrl: string;
  targetBranch: string;
  tenant: string;
  service: string;
  /** The local commit holding the layout, or unchanged when the branch already had it. */
  commit: { changed: boolean; sha?: string };
  /** The portal's proposal branch of this service and what it held before this run. */
  proposalBranch: string;
  proposed?: { sha: string; tree: string };
  github?: GitHubHost;
  pullRequest: { title: string; body: string };
}

/**
 * Delivers a committed layout: pushes the proposal branch and opens (or reuses) its pull
 * request, or pushes the target branch, creating the repository through the host's API
 * first when it is missing and the host can. Every failure says what was left behind and
 * that running the template again completes it: a pushed proposal branch is reused, an empty
 * created repository is pushed into, a rejected push wrote nothing.
 */
export async function publishServiceLayout(
  request: PublishRequest,
): Promise<PublishedLayout> {
  const { copy, mode, repoUrl, targetBranch, service, commit, github } =
    request;
  if (!commit.changed) {
    return {
      commitSha: commit.sha ?? '',
      pullRequestUrl: null,
      changed: false,
    };
  }
  if (mode === 'pull-request') {
    return proposeByPullRequest(request, github!);
  }
  const createdByApi = copy.state === 'missing' && !!github?.supports(repoUrl);
  if (createdByApi) {
    await github!.createRepository(
      repoUrl,
      `GitOps repository of tenant ${request.tenant}`,
    );
  }
  try {
    await copy.push(targetBranch);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    if (createdByApi) {
      throw new Error(
        `GitHub created ${repoUrl}, but pushing the layout to it failed: ${plainMessage(
          error,
        )}. The repository is left empty; running the template again pushes into it`,
      );
    }
    if (copy.state === 'missing') {
      throw new InputError(
        `${repoUrl} does not exist and its host did not create it on push: ${plainMessage(
          error,
        )}. ${NOTHING_WRITTEN}`,
      );
    }
    // A protected branch refuses every run alike; anything else (another run's push first,
    // a cut connection) is gone on the next run.
    const protectedBranch = /GH006|protected branch/i.test(error.stderr);
    throw new ConflictError(
      `Pushing ${service} to ${repoUrl} (${targetBranch}) failed: ${plainMessage(
        error,
      )}. ${NOTHING_WRITTEN} ${
        protectedBranch
          ? `${targetBranch} is protected: run the template again without directPush to propose ${service} as a pull request`
          : `Running the template again checks ${targetBranch} anew and completes`
      }`,
    );
  }
  return { commitSha: commit.sha ?? '', pullRequestUrl: null, changed: true };
}

async function proposeByPullRequest(
  request: PublishRequest,
  github: GitHubHost,
): Promise<PublishedLayout> {
  const { copy, repoUrl, targetBranch, service, proposalBranch, proposed } =
    request;
  // An identical proposal is already pushed (a re-run): reuse it, report its commit.
  const reused = proposed?.tree === (await copy.treeOf('HEAD'));
  if (!reused) {
    try {
      await copy.push(proposalBranch, { force: true });
    } catch (error) {
      if (!(error instanceof GitCommandError)) throw error;
      throw new ConflictError(
        `Pushing the proposal branch ${proposalBranch} to ${repoUrl} failed: ${plainMessage(
          error,
        )}. ${NOTHING_WRITTEN} Running the template again pushes it and opens the pull request`,
      );
    }
  }
  let pullRequestUrl: string;
  try {
    pullRequestUrl = await github.ensurePullRequest({
      repoUrl,
      head: proposalBranch,
      base: targetBranch,
      ...request.pullRequest,
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `Branch ${proposalBranch} of ${repoUrl} holds ${service}, but opening its pull request failed: ${plainMessage(
        error,
      )}. ${targetBranch} is unchanged; running the template again reuses the branch and opens the pull request`,
    );
  }
  return {
    commitSha: reused ? proposed!.sha : request.commit.sha ?? '',
    pullRequestUrl,
    changed: !reused,
  };
}
