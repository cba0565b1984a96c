import { InputError } from '@backstage/errors';

/**
 * Name rules for everything that reaches an Argo CD URL or a Kubernetes object.
 * Kubernetes DNS-1123 rules: a label is at most 63 characters of lower-case alphanumerics and
 * '-', starting and ending alphanumeric; a subdomain is dot-separated labels, at most 253.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * True for a valid DNS-1123 label (namespaces, tenants, instance names, clusters).
 *
 * @public
 */
export function isDns1123Label(value: unknown): value is string {
  return (
    typeof value === 'string' && value.length <= 63 && DNS1123_LABEL.test(value)
  );
}

/**
 * True for a valid DNS-1123 subdomain (Argo CD application and project names).
 *
 * @public
 */
export function isDns1123Subdomain(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 253 &&
    DNS1123_SUBDOMAIN.test(value)
  );
}

/**
 * Thrown when a name breaks the DNS-1123 rules; an `InputError`, so routes answer 400.
 *
 * @public
 */
export class InvalidNameError extends InputError {
  /** The field whose value was refused, e.g. `name` or `namespace`. */
  readonly field: string;
  constructor(field: string, value: unknown, rule: 'label' | 'subdomain') {
    const shown =
      typeof value === 'string'
        ? JSON.stringify(value.slice(0, 80))
        : String(value);
    super(
      `Invalid ${field} ${shown}: must be a DNS-1123 ${rule} (lower-case letters, digits${
        rule === 'subdomain' ? ', dots' : ''
      } and '-', at most ${rule === 'label' ? 63 : 253} characters)`,
    );
    this.field = field;
  }
}

/**
 * Returns the value if it is a DNS-1123 label, else throws {@link InvalidNameError}.
 *
 * @public
 */
export function requireDns1123Label(field: string, value: unknown): string {
  if (!isDns1123Label(value)) throw new InvalidNameError(field, value, 'label');
  return value;
}

/**
 * Returns the value if it is a DNS-1123 subdomain, else throws {@link InvalidNameError}.
 *
 * @public
 */
export function requireDns1123Subdomain(field: string, value: unknown): string {
  if (!isDns1123Subdomain(value))
    throw new InvalidNameError(field, value, 'subdomain');
  return value;
}
