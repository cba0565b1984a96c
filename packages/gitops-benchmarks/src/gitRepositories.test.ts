import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '@kupe/plugin-gitops-node';
import { startArgoCdDoubles } from './argoCdDoubles';
import { RELEASES } from './gitRepositories';

// Not execFileSync: the Git host serving the clone runs in this process.
const git = async (cwd: string, ...args: string[]) =>
  (await promisify(execFile)('git', args, { cwd })).stdout.trim();

describe('the doubles’ Git repositories', () => {
  it('hold the commits every app’s history names, with the images the app runs where it deployed', async () => {
    const doubles = await startArgoCdDoubles({
      instances: 2,
      applications: 14,
      tenants: 2,
      latencyMs: 0,
      realistic: true,
    });
    const clone = mkdtempSync(path.join(os.tmpdir(), 'kupe-bench-clone-'));
    try {
      const appsOf = async (instance: (typeof doubles.instances)[number]) => {
        const response = await fetch(`${instance.url}/api/v1/applications`, {
          headers: { Authorization: `Bearer ${instance.token}` },
        });
        return ((await response.json()) as { items: Application[] }).items;
      };
      const [first, second] = await Promise.all(doubles.instances.map(appsOf));
      expect(first).toHaveLength(14);
      // Every double seeds the same apps; they name the same commits.
      expect(second.map(a => a.status!.history)).toEqual(
        first.map(a => a.status!.history),
      );

      const repoURL = first[0].spec.source!.repoURL;
      await git(clone, 'clone', '--quiet', '--bare', repoURL, '.');
      const commits = (await git(clone, 'rev-list', '--reverse', 'main')).split(
        '\n',
      );
      expect(commits).toHaveLength(RELEASES);

      const ofRepo = first.filter(a => a.spec.source!.repoURL === repoURL);
      expect(ofRepo.some(a => a.status!.sync!.status === 'OutOfSync')).toBe(
        true,
      );
      for (const app of ofRepo) {
        const status = app.status!;
        const revisions = status.history!.map(h => h.revision!);
        expect(revisions).toHaveLength(10);
        // Consecutive releases, oldest first, ending where the app deployed last: the head,
        // or for an OutOfSync app the commit before it, the head being its sync target.
        const start = commits.indexOf(revisions[0]);
        expect(revisions).toEqual(commits.slice(start, start + 10));
        const deployed = revisions.at(-1)!;
        expect(deployed).toBe(
          status.sync!.status === 'OutOfSync' ? commits.at(-2) : commits.at(-1),
        );
        expect(status.sync!.revision).toBe(commits.at(-1));
        expect(status.operationState!.syncResult!.revision).toBe(deployed);
        expect(status.operationState!.operation.sync!.revision).toBe(deployed);
        // No revision the builder made up is left anywhere in the app.
        const shas = JSON.stringify(app).match(/\b[0-9a-f]{40}\b/g) ?? [];
        expect(shas.filter(sha => !commits.includes(sha))).toEqual([]);

        // What the deployed commit pins is what Argo CD says the app runs.
        const kustomization = await git(
          clone,
          'show',
          `${deployed}:${app.spec.source!.path}/kustomization.yaml`,
        );
        const lines = kustomization.split('\n');
        for (const image of status.summary!.images!) {
          const colon = image.lastIndexOf(':');
          const at = lines.indexOf(`  - name: ${image.slice(0, colon)}`);
          expect(at).toBeGreaterThan(0);
          expect(lines[at + 1]).toBe(`    newTag: ${image.slice(colon + 1)}`);
        }
        // An older release pinned other tags: the history's deployments changed the app's files.
        expect(
          await git(
            clone,
            'show',
            `${revisions[0]}:${app.spec.source!.path}/kustomization.yaml`,
          ),
        ).not.toBe(kustomization);
      }

      // Argo CD describes a commit as Git does.
      const app = ofRepo[0];
      const deployed = app.status!.history!.at(-1)!.revision!;
      const metadata = await (
        await fetch(
          `${doubles.instances[0].url}/api/v1/applications/${app.metadata.name}/revisions/${deployed}/metadata`,
          {
            headers: { Authorization: `Bearer ${doubles.instances[0].token}` },
          },
        )
      ).json();
      const [author, epoch, message] = (
        await git(clone, 'show', '-s', '--format=%an <%ae>%n%at%n%s', deployed)
      ).split('\n');
      expect(metadata).toEqual({
        author,
        date: new Date(Number(epoch) * 1000)
          .toISOString()
          .replace('.000Z', 'Z'),
        message,
      });
    } finally {
      rmSync(clone, { recursive: true, force: true });
      await doubles.stop();
    }
  }, 60_000);
});
