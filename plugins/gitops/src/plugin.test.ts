import gitOpsPlugin from './index';

describe('gitOpsPlugin', () => {
  it('provides the API, the entity card and the GitOps tab', () => {
    expect(gitOpsPlugin.id).toBe('gitops');
    for (const id of [
      'api:gitops',
      'entity-card:gitops/overview',
      'entity-content:gitops/gitops',
    ]) {
      expect(gitOpsPlugin.getExtension(id as never)).toBeDefined();
    }
  });
});
