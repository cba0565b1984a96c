import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SANDBOX_GITHUB_USER_TOKENS } from '../github/sandboxGitHub';
import {
  ArgoCdSandbox,
  startArgoCdSandbox,
} from '../server/startArgoCdSandbox';
import { packTarGz, unpackTarGz } from './tarball';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

jest.setTimeout(90_000);

const exec = promisify(execFile);

describe('packTarGz', () => {
  it('writes an archive that tar lists and extracts, and reads it back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-tar-'));
    try {
      const files = {
        'chart/Chart.yaml': 'name: chart\nversion: 1.0.0\n',
        'chart/templates/deployment.yaml': 'kind: Deployment\n'.repeat(100),
      };
      const archive = packTarGz(files, new Date('2026-12-01T00:00:00Z'));
      expect(packTarGz(files, new Date('2026-12-01T00:00:00Z'))).toEqual(
        archive,
      );
      await writeFile(join(dir, 'chart.tgz'), archive);
      const { stdout } = await exec('tar', ['-tzvf', 'chart.tgz'], {
        cwd: dir,
      });
      expect(stdout).toContain('chart/templates/deployment.yaml');
      expect(stdout).toContain('2026-12-01');
      await exec('tar', ['-xzf', 'chart.tgz'], { cwd: dir });
      expect(
        await readFile(join(dir, 'chart/templates/deployment.yaml'), 'utf8'),
      ).toBe(files['chart/templates/deployment.yaml']);
      expect(
        Object.fromEntries(
          [...unpackTarGz(archive)].map(([p, c]) => [p, c.toString('utf8')]),
        ),
      ).toEqual(files);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("the sandbox's Helm repository", () => {
  let sandbox: ArgoCdSandbox;
  const alice = SANDBOX_GITHUB_USER_TOKENS.alice;
  const bob = SANDBOX_GITHUB_USER_TOKENS.bob;
  const basic = (user: string, token: string) =>
    `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;

  beforeAll(async () => {
    sandbox = await startArgoCdSandbox({ port: 0 });
  });
  afterAll(() => sandbox?.stop());

  const get = (path: string, authorization?: string) =>
    fetch(`${sandbox.url}${path}`, {
      headers: authorization ? { authorization } : {},
    });

  it('serves index.yaml and the packaged charts as `helm repo add` reads them', async () => {
    const repoUrl = sandbox.helm.urlOf('acme');
    expect(repoUrl).toBe(`${sandbox.url}/helm/acme`);
    const res = await get('/helm/acme/index.yaml', basic('alice', alice));
    expect(res.status).toBe(200);
    const index = parseYaml(await res.text());
    expect(index.apiVersion).toBe('v1');
    expect(Date.parse(index.generated)).not.toBeNaN();
    const entries = index.entries['acme-worker'];
    expect(entries.map((e: { version: string }) => e.version)).toEqual([
      '0.2.0',
      '0.1.0',
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        apiVersion: 'v2',
        name: 'acme-worker',
        type: 'application',
        urls: [`${repoUrl}/acme-worker-${entry.version}.tgz`],
      });
      const archive = await get(
        new URL(entry.urls[0]).pathname,
        `token ${alice}`,
      );
      expect(archive.status).toBe(200);
      expect(archive.headers.get('content-type')).toBe('application/gzip');
      const bytes = Buffer.from(await archive.arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(
        entry.digest,
      );
      const files = unpackTarGz(bytes);
      expect(
        parseYaml(files.get('acme-worker/Chart.yaml')!.toString()),
      ).toMatchObject({
        apiVersion: 'v2',
        name: 'acme-worker',
        version: entry.version,
        appVersion: entry.appVersion,
      });
      expect([...files.keys()]).toContain(
        'acme-worker/templates/deployment.yaml',
      );
    }
  });

  it("keeps a tenant's charts private: 401 without a known token, 404 to other tenants", async () => {
    expect((await get('/helm/acme/index.yaml')).status).toBe(401);
    expect(
      (await get('/helm/acme/index.yaml', basic('x', 'ghp_unknown'))).status,
    ).toBe(401);
    expect((await get('/helm/acme/index.yaml', basic('bob', bob))).status).toBe(
      404,
    );
    expect(
      (await get('/helm/acme/acme-worker-0.1.0.tgz', basic('bob', bob))).status,
    ).toBe(404);
    for (const path of [
      '/helm/acme/acme-worker-9.9.9.tgz',
      '/helm/acme/../globex/index.yaml',
      '/helm/nobody/index.yaml',
      '/helm/acme/index.yaml/extra',
    ]) {
      expect((await get(path, basic('alice', alice))).status).toBe(404);
    }
    const pat = SANDBOX_GITHUB_USER_TOKENS.pat;
    expect((await get('/helm/acme/index.yaml', `Bearer ${pat}`)).status).toBe(
      200,
    );
    const post = await fetch(`${sandbox.url}/helm/acme/index.yaml`, {
      method: 'POST',
      headers: { authorization: basic('alice', alice) },
    });
    expect(post.status).toBe(405);
  });
});
