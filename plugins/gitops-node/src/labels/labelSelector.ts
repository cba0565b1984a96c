import { InputError } from '@backstage/errors';
import { isDns1123Subdomain } from '@kupe/plugin-gitops-common';

/**
 * One parsed requirement of a Kubernetes label selector.
 *
 * @public
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'Equals' | 'NotEquals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

// A label name and a non-empty label value share the Kubernetes "qualified name" shape.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;
// Far above anything an annotation needs, low enough that a selector cannot bloat a URL.
const MAX_SELECTOR = 4096;

/**
 * `[A-Za-z0-9\-_./]`: a character of a key, operator word or value. Tested by code, not by a
 * regular expression per character: a selector is parsed on every cold entity view.
 */
function isWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 45 && code <= 57) || // - . / 0-9
    code === 95 // _
  );
}

function fail(selector: string, reason: string): never {
  throw new InputError(
    `Invalid label selector ${JSON.stringify(
      selector.slice(0, 80),
    )}: ${reason}`,
  );
}

function checkKey(selector: string, key: string): void {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (
    prefix !== undefined &&
    (prefix.length > MAX_PREFIX || !isDns1123Subdomain(prefix))
  ) {
    fail(
      selector,
      `key prefix ${JSON.stringify(
        prefix.slice(0, 80),
      )} must be a DNS-1123 subdomain`,
    );
  }
  if (name.length > MAX_NAME || !LABEL_NAME.test(name)) {
    fail(
      selector,
      `key ${JSON.stringify(
        key.slice(0, 80),
      )} must be [prefix/]name with a name of at most 63 alphanumerics, '-', '_' or '.'`,
    );
  }
}

function checkValue(selector: string, value: string): void {
  if (value.length > MAX_NAME || (value !== '' && !LABEL_NAME.test(value))) {
    fail(
      selector,
      `value ${JSON.stringify(
        value.slice(0, 80),
      )} must be at most 63 alphanumerics, '-', '_' or '.'`,
    );
  }
}

/**
 * Strict parser of the Kubernetes label selector syntax (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a`, `!a`, comma-separated). Anything it does not understand is rejected, so a
 * selector taken from an annotation can never smuggle other query parameters to Argo CD.
 * An empty selector selects everything and parses to no requirements.
 *
 * @public
 */
export function parseLabelSelector(
  selector: string,
): LabelSelectorRequirement[] {
  if (typeof selector !== 'string') {
    throw new InputError('Invalid label selector: must be a string');
  }
  if (selector.length > MAX_SELECTOR) {
    fail(selector, `longer than ${MAX_SELECTOR} characters`);
  }
  const requirements: LabelSelectorRequirement[] = [];
  let pos = 0;
  const skipSpaces = () => {
    while (pos < selector.length && selector[pos] === ' ') pos++;
  };
  const readWord = (): string => {
    const start = pos;
    while (pos < selector.length && isWordChar(selector.charCodeAt(pos))) pos++;
    return selector.slice(start, pos);
  };

  skipSpaces();
  if (pos === selector.length) return requirements;

  for (;;) {
    skipSpaces();
    let negated = false;
    if (selector[pos] === '!') {
      negated = true;
      pos++;
      skipSpaces();
    }
    const key = readWord();
    if (!key) fail(selector, `expected a key at position ${pos}`);
    checkKey(selector, key);
    skipSpaces();

    if (negated) {
      requirements.push({ key, operator: 'DoesNotExist', values: [] });
    } else if (pos === selector.length || selector[pos] === ',') {
      requirements.push({ key, operator: 'Exists', values: [] });
    } else if (selector.startsWith('!=', pos) || selector[pos] === '=') {
      let operator: LabelSelectorRequirement['operator'] = 'Equals';
      if (selector.startsWith('!=', pos)) {
        operator = 'NotEquals';
        pos += 2;
      } else {
        pos += selector.startsWith('==', pos) ? 2 : 1;
      }
      skipSpaces();
      const value = readWord();
      checkValue(selector, value);
      requirements.push({ key, operator, values: [value] });
    } else {
      const word = readWord();
      if (word !== 'in' && word !== 'notin') {
        fail(
          selector,
          `unexpected ${JSON.stringify(
            selector.slice(pos - word.length, pos - word.length + 10),
          )} after key ${JSON.stringify(key)}`,
        );
      }
      skipSpaces();
      if (selector[pos] !== '(') fail(selector, `expected '(' after '${word}'`);
      pos++;
      const values: string[] = [];
      for (;;) {
        skipSpaces();
        const value = readWord();
        checkValue(selector, value);
        values.push(value);
        skipSpaces();
        if (selector[pos] === ',') {
          pos++;
          continue;
        }
        if (selector[pos] === ')') {
          pos++;
          break;
        }
        fail(
          selector,
          `expected ',' or ')' in the value set of ${JSON.stringify(key)}`,
        );
      }
      if (values.includes('')) {
        fail(
          selector,
          `the value set of ${JSON.stringify(key)} must not hold empty values`,
        );
      }
      requirements.push({
        key,
        operator: word === 'in' ? 'In' : 'NotIn',
        values,
      });
    }

    skipSpaces();
    if (pos === selector.length) return requirements;
    if (selector[pos] !== ',') {
      fail(
        selector,
        `unexpected character ${JSON.stringify(
          selector[pos],
        )} at position ${pos}`,
      );
    }
    pos++;
  }
}

/**
 * Returns the selector if {@link parseLabelSelector} accepts it, else throws `InputError`.
 *
 * @public
 */
export function validateLabelSelector(selector: string): string {
  parseLabelSelector(selector);
  return selector;
}

/**
 * Whether labels satisfy every requirement, with Kubernetes semantics: `!=` and `notin` match
 * an absent label, and no requirements match everything. A selector given as text is parsed
 * first, so an invalid one throws `InputError` instead of matching nothing.
 *
 * @public
 */
export function matchesLabelSelector(
  selectorOrRequirements: string | readonly LabelSelectorRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const requirements =
    typeof selectorOrRequirements === 'string'
      ? parseLabelSelector(selectorOrRequirements)
      : selectorOrRequirements;
  const l = labels ?? {};
  return requirements.every(({ key, operator, values }) => {
    const value = Object.prototype.hasOwnProperty.call(l, key)
      ? l[key]
      : undefined;
    switch (operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'Equals':
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotEquals':
      case 'NotIn':
        return value === undefined || !values.includes(value);
      default:
        return false;
    }
  });
}
