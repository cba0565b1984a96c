export {
  GitHubHost,
  type GitHubCommitStatus,
  type GitHubPullRequest,
  type GitHubRepository,
  type GitHubReview,
} from './GitHubHost';
export {
  GitWorkingCopy,
  type CommitAuthor,
  type RemoteState,
} from './GitWorkingCopy';
export {
  GitRepository,
  type GitCommitMetadata,
  type GitCommitSummary,
  type GitRepositoryLocation,
  type GitTreeEntry,
} from './GitRepository';
export { resolveGitCredentials } from './resolveGitCredentials';
export {
  GitCommandError,
  redact,
  runGit,
  type GitCredentials,
  type RunGitOptions,
} from './runGit';
