import type { PromotionPreview } from '@kupe/plugin-gitops-common';
import request from 'supertest';
import { recordGitCommands } from './__testUtils__/gitCommands';
import {
  kustomization,
  type World,
  startGitOperationsWorld,
  users,
  app,
  as,
} from './__testUtils__/gitOperationsWorld';
import { PreviewCache } from './previewCache';

// Real git over real repositories: seconds per test on a loaded machine.
jest.setTimeout(60_000);

describe('promotion previews kept by their inputs', () => {
  let w: World;
  beforeAll(async () => {
    w = await startGitOperationsWorld();
    // A preview's key holds both apps as the index has them, history included: start once
    // Argo CD's re-send after the start (paced, on a watch of its own) is in, so that the
    // tests below compare previews of the same inputs.
    for (let i = 0; i < 500; i++) {
      const { body } = await request(w.server)
        .get('/api/gitops/entities/default/component/acme-web/applications')
        .set(as(users.alice));
      const items: Array<{ historyPending?: boolean }> = body.items ?? [];
      if (items.length > 0 && items.every(a => !a.historyPending)) return;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    throw new Error("acme-web's history never came in");
  });
  afterAll(() => w.stop());

  const preview = (name: string, user = users.alice) =>
    request(w.server)
      .get(`${app(name)}/promotion`)
      .set(as(user));

  it('answers an unchanged branch from the preview computed before, with one ls-remote', async () => {
    const first = await preview('acme-web-dev');
    expect(first.status).toBe(200);
    expect(first.body.promotable).toBe(true);
    const git = await recordGitCommands();
    try {
      const again = await preview('acme-web-dev');
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await git.commands()).toEqual([
        'ls-remote --heads origin refs/heads/main',
      ]);
    } finally {
      await git.stop();
    }
  });

  it('computes the preview again when the branch moved', async () => {
    const before = await preview('acme-web-dev');
    expect(before.body.next.version.label).toBe('acme-web:1.3.0');
    // Staging's overlay at the head changes; staging still runs c1, dev still c4.
    const head = await w.commit('Staging overlay: a comment', {
      'apps/acme-web/overlays/staging/kustomization.yaml': `${kustomization(
        '1.3.0',
      )}# reviewed\n`,
    });
    const after = await preview('acme-web-dev');
    expect(after.status).toBe(200);
    expect(after.body.diff).not.toEqual(before.body.diff);
    expect(after.body.diff).toContain('# reviewed');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
  });

  it('checks every caller: another tenant gets no kept preview', async () => {
    expect((await preview('acme-web-dev')).status).toBe(200);
    const git = await recordGitCommands();
    try {
      expect((await preview('acme-web-dev', users.bob)).status).toBe(404);
      expect(await git.commands()).toEqual([]);
    } finally {
      await git.stop();
    }
  });
});

describe('PreviewCache', () => {
  const body = (label: string): PromotionPreview =>
    ({
      application: { instance: 'main', appNamespace: 'argocd', name: 'a' },
      environment: 'dev',
      version: { layout: 'kustomize', images: [], label, files: [] },
      commits: [],
      changes: [],
      files: [],
      diff: '',
      promotable: false,
      requiresApproval: false,
    } as const);

  it('keys by every input, keeps the most recently used and hands out copies', () => {
    const cache = new PreviewCache(2);
    const key = (head: string) =>
      PreviewCache.keyOf({ repository: 'host/acme/gitops', head });
    expect(key('a')).not.toBe(key('b'));
    expect(
      PreviewCache.keyOf({ repository: 'host/globex/gitops', head: 'a' }),
    ).not.toBe(key('a'));

    cache.set(key('a'), body('1'));
    cache.set(key('b'), body('2'));
    const a = cache.get(key('a'))!;
    a.promotable = true;
    expect(cache.get(key('a'))?.promotable).toBe(false);
    cache.set(key('c'), body('3'));
    expect(cache.size).toBe(2);
    expect(cache.get(key('b'))).toBeUndefined();
    expect(cache.get(key('a'))?.version.label).toBe('1');
    expect(cache.get(key('c'))?.version.label).toBe('3');
  });
});
