import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Checkpoints, actionContext } from './testWorld';

/** What a run of a template's steps did, as the scaffolder's task shows it. */
export interface TemplateRun {
  /** The step that failed, undefined when every step completed. */
  failedStep?: string;
  error?: Error;
  /** Ids of the steps that ran (skipped ones left out), in order. */
  ran: string[];
  steps: Record<string, { output: Record<string, any> }>;
  output?: Record<string, any>;
}

interface RunnableAction {
  id: string;
  supportsDryRun?: boolean;
  handler(ctx: any): Promise<void>;
}

interface TemplateStep {
  id: string;
  action: string;
  if?: unknown;
  input?: unknown;
}

const PATH_PART = /^(?:\.?([A-Za-z_]\w*)|\[(\d+)\])/;

function lookup(path: string, context: Record<string, unknown>): unknown {
  let rest = path.trim();
  let value: any = context;
  while (rest) {
    const m = PATH_PART.exec(rest);
    if (!m) throw new Error(`Unsupported template expression "${path}"`);
    value =
      value === undefined || value === null
        ? undefined
        : value[m[1] ?? Number(m[2])];
    rest = rest.slice(m[0].length);
  }
  return value;
}

/**
 * The part of Nunjucks the scaffolder templates here use: paths (`a.b[0].c`), `x or y` and
 * `| join(', ')`. Anything else is an error, so a template cannot silently mean something else.
 */
function evaluate(
  expression: string,
  context: Record<string, unknown>,
): unknown {
  const [main, filter] = expression.split('|').map(s => s.trim());
  let value: unknown;
  for (const alternative of main.split(/\s+or\s+/)) {
    value = lookup(alternative, context);
    if (value) break;
  }
  if (filter === undefined) return value;
  const join = /^join\(\s*'([^']*)'\s*\)$/.exec(filter);
  if (!join) throw new Error(`Unsupported template filter "${filter}"`);
  return Array.isArray(value) ? value.join(join[1]) : value;
}

const EXPRESSION = /\$\{\{(.*?)\}\}/g;

/**
 * Renders template values as the scaffolder does: a string that is one expression keeps the
 * value's type (undefined when it resolves to nothing); expressions inside a longer string are
 * interpolated, nothing for undefined.
 */
export function render(value: unknown, context: Record<string, unknown>): any {
  if (typeof value === 'string') {
    const whole = /^\$\{\{(.*)\}\}$/.exec(value.trim());
    if (whole && !whole[1].includes('}}')) return evaluate(whole[1], context);
    return value.replace(EXPRESSION, (_m, e) => {
      const v = evaluate(e, context);
      return v === undefined || v === null ? '' : String(v);
    });
  }
  if (Array.isArray(value)) return value.map(v => render(v, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, render(v, context)])
        .filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

/** The template's parameters' defaults, as the form fills them in. */
export function parameterDefaults(template: any): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const page of template.spec.parameters) {
    for (const [name, property] of Object.entries<any>(page.properties ?? {})) {
      if (property.default !== undefined) defaults[name] = property.default;
    }
  }
  return defaults;
}

export function loadTemplate(path: string): any {
  return parse(readFileSync(path, 'utf8'));
}

/**
 * Runs a template's steps in order as the scaffolder's workflow runner does: `if` decides
 * whether a step runs, inputs are rendered from parameters and earlier steps' outputs, a
 * dry run skips actions that do not support it, the first failing step ends the run, and
 * each step's checkpoints are its own (keyed by step id) in the task's `checkpoints`.
 */
export async function runTemplate(
  template: any,
  options: {
    parameters: Record<string, unknown>;
    actions: RunnableAction[];
    user?: string;
    isDryRun?: boolean;
    tmp?: string;
    checkpoints?: Checkpoints;
  },
): Promise<TemplateRun> {
  const parameters = { ...parameterDefaults(template), ...options.parameters };
  const run: TemplateRun = { ran: [], steps: {} };
  const context = () => ({ parameters, steps: run.steps });
  for (const step of template.spec.steps as TemplateStep[]) {
    if ('if' in step && !render(step.if, context())) continue;
    const action = options.actions.find(a => a.id === step.action);
    if (!action)
      throw new Error(`No action ${step.action} for step ${step.id}`);
    if (options.isDryRun && !action.supportsDryRun) continue;
    const input = render(step.input ?? {}, context());
    const { ctx, outputs } = actionContext(input, {
      user: options.user,
      isDryRun: options.isDryRun,
      tmp: options.tmp,
    });
    const checkpoints = options.checkpoints;
    const stepCtx = checkpoints
      ? {
          ...ctx,
          checkpoint: (opts: { key: string; fn: () => any }) =>
            checkpoints.checkpoint({ ...opts, key: `${step.id}.${opts.key}` }),
        }
      : ctx;
    run.ran.push(step.id);
    run.steps[step.id] = { output: outputs };
    try {
      await action.handler(stepCtx);
    } catch (error) {
      run.failedStep = step.id;
      run.error = error as Error;
      return run;
    }
  }
  run.output = render(template.spec.output ?? {}, context());
  return run;
}
