/** Ends every refusal that comes before the first write, so the user knows nothing changed. */
export const NOTHING_WRITTEN = 'Nothing was written.';

// CSI sequences (colours, cursor moves) that git or a server may put in a message.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * The text of an error for a task log or an error the user reads: its message only (never
 * a stack), without terminal colour codes.
 */
export function plainMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(ANSI, '').trim();
}

/** What an identical earlier run left, for the task log of a re-run that writes nothing. */
export function describeExisting(existing: {
  service: string;
  repoUrl: string;
  branch: string;
  applications?: Array<{
    app: { metadata: { name?: string } };
    unchanged: boolean;
  }>;
  catalogEntityRef?: string;
}): string[] {
  const { service } = existing;
  return [
    `${service} is already in ${existing.repoUrl} (apps/${service}/ on ${existing.branch}) as requested`,
    existing.applications
      ?.map(
        a =>
          `Application ${a.app.metadata.name} ${
            a.unchanged ? 'exists as requested' : 'is missing'
          }`,
      )
      .join(', '),
    existing.catalogEntityRef
      ? `${existing.catalogEntityRef} is registered`
      : undefined,
  ].filter((line): line is string => !!line);
}
