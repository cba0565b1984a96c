import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { plainMessage } from '../plan/messages';

/**
 * The scaffolder writes a failed step's `String(error.stack)` into the task log the user
 * reads (NunjucksWorkflowRunner's markFailed), in production as in development: stack frames,
 * the backend's source paths and git's colour codes would all reach the person running the
 * template. This gives every error leaving the action a stack that is only its name and plain
 * message, keeping its class, name and other fields so the scaffolder and Backstage's error
 * handling treat it as before.
 */
export function withPlainErrors<T extends TemplateAction<any, any, any>>(
  action: T,
): T {
  return {
    ...action,
    handler: async (ctx: Parameters<T['handler']>[0]) => {
      try {
        return await action.handler(ctx);
      } catch (error) {
        throw asPlainError(error);
      }
    },
  };
}

/** The error with an ANSI-free message and a stack of just `Name: message`. */
export function asPlainError(error: unknown): Error {
  const plain = error instanceof Error ? error : new Error(String(error));
  const message = plainMessage(plain);
  Object.defineProperty(plain, 'message', {
    value: message,
    configurable: true,
    writable: true,
  });
  Object.defineProperty(plain, 'stack', {
    value: `${plain.name}: ${message}`,
    configurable: true,
    writable: true,
  });
  return plain;
}
