import gitOpsPlugin from '../index';

describe('gitops scaffolder form fields', () => {
  it('are extensions of the gitops plugin, so the scaffolder page offers them', () => {
    for (const id of [
      'scaffolder-form-field:gitops/gitops-tenant-picker',
      'scaffolder-form-field:gitops/gitops-cluster-picker',
      'scaffolder-form-field:gitops/gitops-repo-url-picker',
    ]) {
      expect(gitOpsPlugin.getExtension(id as never)).toBeDefined();
    }
  });
});
