import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { withPlainErrors } from './withPlainErrors';

function failingAction(error: unknown) {
  return withPlainErrors(
    createTemplateAction({
      id: 'test:fail',
      schema: { input: {} },
      async handler() {
        throw error;
      },
    }),
  );
}

/** What the scaffolder writes into the task log for a failed step. */
async function taskLogLineOf(action: ReturnType<typeof failingAction>) {
  try {
    await action.handler(createMockActionContext({ input: {} }) as any);
  } catch (error) {
    return { error: error as Error, log: String((error as Error).stack) };
  }
  throw new Error('the action did not fail');
}

describe('withPlainErrors', () => {
  it('leaves only the name and message in the stack the task log shows, keeping the class', async () => {
    const { error, log } = await taskLogLineOf(
      failingAction(new InputError('Cluster "mars" is not one of acme\'s')),
    );
    expect(log).toBe('InputError: Cluster "mars" is not one of acme\'s');
    expect(error).toBeInstanceOf(InputError);
    expect(error.name).toBe('InputError');
  });

  it('removes colour codes that git or a server put in a message', async () => {
    const { error, log } = await taskLogLineOf(
      failingAction(
        new ConflictError('push refused: \u001b[31mGH006\u001b[0m protected'),
      ),
    );
    expect(error.message).toBe('push refused: GH006 protected');
    expect(log).toBe('ConflictError: push refused: GH006 protected');
    expect(log).not.toMatch(/\n\s+at |\.ts:\d+/);
    expect(log).not.toContain('\u001b');
  });

  it('turns a thrown non-error into an error with a plain stack', async () => {
    const { error, log } = await taskLogLineOf(failingAction('socket hang up'));
    expect(error).toBeInstanceOf(Error);
    expect(log).toBe('Error: socket hang up');
  });

  it('passes a successful run through untouched', async () => {
    const action = withPlainErrors(
      createTemplateAction({
        id: 'test:ok',
        schema: { input: {} },
        async handler(ctx) {
          ctx.output('done', true);
        },
      }),
    );
    const ctx = createMockActionContext({ input: {} });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith('done', true);
  });
});
