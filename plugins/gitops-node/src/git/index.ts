export { GitHubHost, type GitHubRepository } from './GitHubHost';
export {
  GitWorkingCopy,
  type CommitAuthor,
  type GitCommitSummary,
  type RemoteState,
} from './GitWorkingCopy';
export { resolveGitCredentials } from './resolveGitCredentials';
export {
  GitCommandError,
  redact,
  runGit,
  type GitCredentials,
  type RunGitOptions,
} from './runGit';
