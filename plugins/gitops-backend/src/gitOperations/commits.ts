import type { GitCommit } from '@kupe/plugin-gitops-common';

/** A commit as `git log` lists it, with every file it changed. */
export interface LoggedCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  date: string;
  subject: string;
  files: string[];
}

/** A commit as the API reports it, with the files it changed that matter to the caller. */
export function toCommit(commit: LoggedCommit, files: string[]): GitCommit {
  return {
    sha: commit.sha,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
    date: commit.date,
    message: commit.subject,
    files,
  };
}

/** The commits that changed at least one of the files `own` keeps, with only those files. */
export function ownCommits(
  log: LoggedCommit[],
  own: (file: string) => boolean,
): GitCommit[] {
  return log
    .map(c => toCommit(c, c.files.filter(own)))
    .filter(c => c.files.length > 0);
}
