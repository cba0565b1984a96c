import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { examples as argoCdApplicationCreate } from './actions/argocdApplicationCreate.examples';
import { examples as argoCdApplicationWait } from './actions/argocdApplicationWait.examples';
import { examples as catalogRegister } from './actions/catalogRegister.examples';
import { examples as gitOpsRepoCreate } from './actions/gitopsRepoCreate.examples';

// The README shows every action with the examples the scaffolder's action list shows; this
// keeps the two from drifting apart.
const readme = readFileSync(resolve(__dirname, '../README.md'), 'utf8');

describe('README', () => {
  it.each([
    ['kupe:gitops-repo:create', gitOpsRepoCreate],
    ['kupe:argocd-application:create', argoCdApplicationCreate],
    ['kupe:catalog:register', catalogRegister],
    ['kupe:argocd-application:wait', argoCdApplicationWait],
  ])('shows %s with each of its examples', (action, examples) => {
    const section = readme.split(`### \`${action}\`\n`)[1]?.split('\n### ')[0];
    expect(section).toBeDefined();
    expect(examples.length).toBeGreaterThan(0);
    for (const { description, example } of examples) {
      expect(section).toContain(`${description}.`);
      expect(section).toContain(`\`\`\`yaml\n${example.trimEnd()}\n\`\`\``);
      expect(example).toContain(`action: ${action}`);
    }
  });
});
