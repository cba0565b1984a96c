import { ArgoCdApiError, GrpcCode } from './errors';

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function invalid(selector: string, why: string): ArgoCdApiError {
  // ApplicationService.List wraps labels.Parse's error in a plain error: code Unknown, 500.
  return new ArgoCdApiError(
    GrpcCode.Unknown,
    `error parsing the selector: unable to parse requirement: ${why} (selector "${selector}")`,
  );
}

function parseRequirement(text: string, selector: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const values = setMatch[3].split(',').map(v => v.trim());
    if (values.some(v => !VALUE.test(v)))
      throw invalid(selector, `invalid value in ${text}`);
    return { key: setMatch[1], op: setMatch[2] as 'in' | 'notin', values };
  }
  const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (eqMatch) {
    if (!VALUE.test(eqMatch[3]))
      throw invalid(selector, `invalid value ${eqMatch[3]}`);
    return {
      key: eqMatch[1],
      op: eqMatch[2] === '!=' ? 'neq' : 'eq',
      value: eqMatch[3],
    };
  }
  if (text.startsWith('!'))
    return { key: text.slice(1).trim(), op: 'notexists' };
  return { key: text, op: 'exists' };
}

/** A parsed Kubernetes label selector (`=`, `==`, `!=`, `in`, `notin`, `key`, `!key`). */
export class LabelSelector {
  readonly #requirements: Requirement[];

  private constructor(requirements: Requirement[]) {
    this.#requirements = requirements;
  }

  static parse(selector: string): LabelSelector {
    const requirements = splitTopLevel(selector).map(part =>
      parseRequirement(part, selector),
    );
    for (const r of requirements) {
      if (!KEY.test(r.key))
        throw invalid(selector, `invalid label key "${r.key}"`);
    }
    return new LabelSelector(requirements);
  }

  matches(labels: Record<string, string> | undefined): boolean {
    const l = labels ?? {};
    return this.#requirements.every(r => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'eq':
          return has && l[r.key] === r.value;
        case 'neq':
          return !has || l[r.key] !== r.value;
        case 'in':
          return has && r.values.includes(l[r.key]);
        case 'notin':
          return !has || !r.values.includes(l[r.key]);
        case 'exists':
          return has;
        default:
          return !has;
      }
    });
  }
}
