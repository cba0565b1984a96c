import { InputError } from '@backstage/errors';
import {
  isDns1123Label,
  isDns1123Subdomain,
  requireDns1123Label,
  requireDns1123Subdomain,
} from './names';

describe('DNS-1123 names', () => {
  it.each(['web', 'acme-web-dev', 'a', '0abc', 'a'.repeat(63)])(
    'accepts label %s',
    name => {
      expect(isDns1123Label(name)).toBe(true);
    },
  );

  it.each([
    '',
    'Web',
    '-web',
    'web-',
    'a.b',
    'a/b',
    '..',
    '../clusters',
    'web?x=1',
    'web#frag',
    'web&x',
    'we b',
    '%2F',
    'a'.repeat(64),
  ])('refuses label %j', name => {
    expect(isDns1123Label(name)).toBe(false);
  });

  it('accepts dotted subdomains up to 253 characters and refuses traversal', () => {
    expect(isDns1123Subdomain('my.app-1')).toBe(true);
    expect(isDns1123Subdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}`)).toBe(
      true,
    );
    expect(isDns1123Subdomain('a'.repeat(254))).toBe(false);
    expect(isDns1123Subdomain('..')).toBe(false);
    expect(isDns1123Subdomain('a..b')).toBe(false);
    expect(isDns1123Subdomain('a/../b')).toBe(false);
    expect(isDns1123Subdomain(undefined)).toBe(false);
  });

  it('throws an InputError naming the field and the rule', () => {
    expect(() => requireDns1123Label('tenant', 'Acme')).toThrow(InputError);
    expect(() => requireDns1123Label('tenant', 'Acme')).toThrow(
      /Invalid tenant "Acme": must be a DNS-1123 label/,
    );
    expect(() => requireDns1123Subdomain('application name', '../x')).toThrow(
      /Invalid application name/,
    );
    expect(requireDns1123Subdomain('application name', 'web.v2')).toBe(
      'web.v2',
    );
  });
});
