import { InputError } from '@backstage/errors';
import {
  matchesLabelSelector,
  parseLabelSelector,
  validateLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every Kubernetes operator', () => {
    expect(
      parseLabelSelector(
        'app=web, tier==frontend,env!=prod,zone in (a, b),team notin (x),example.com/owned, !legacy',
      ),
    ).toEqual([
      { key: 'app', operator: 'Equals', values: ['web'] },
      { key: 'tier', operator: 'Equals', values: ['frontend'] },
      { key: 'env', operator: 'NotEquals', values: ['prod'] },
      { key: 'zone', operator: 'In', values: ['a', 'b'] },
      { key: 'team', operator: 'NotIn', values: ['x'] },
      { key: 'example.com/owned', operator: 'Exists', values: [] },
      { key: 'legacy', operator: 'DoesNotExist', values: [] },
    ]);
  });

  it('accepts an empty value and an empty selector', () => {
    expect(parseLabelSelector('app=')).toEqual([
      { key: 'app', operator: 'Equals', values: [''] },
    ]);
    expect(parseLabelSelector('  ')).toEqual([]);
  });

  it('reads as a word exactly the characters [A-Za-z0-9-_./]', () => {
    // Each character inside a value: a word character is read into the value (accepted or
    // refused as a label value), any other ends the word there.
    for (let code = 0; code < 0x250; code++) {
      const char = String.fromCharCode(code);
      if (char === ' ' || char === ',') continue;
      let message = '';
      try {
        parseLabelSelector(`k=a${char}b`);
      } catch (error) {
        message = (error as Error).message;
      }
      const word = /[A-Za-z0-9\-_./]/.test(char);
      expect({ char, endsWord: /unexpected|expected/.test(message) }).toEqual({
        char,
        endsWord: !word,
      });
    }
  });

  it('accepts the longest legal key and value', () => {
    const prefix = `${'a'.repeat(63)}.${'b'.repeat(63)}`;
    const selector = `${prefix}/${'n'.repeat(63)}=${'v'.repeat(63)}`;
    expect(validateLabelSelector(selector)).toBe(selector);
  });

  it.each([
    ['app=web&x=1', /unexpected character "&"/],
    ['app=web;drop', /unexpected character ";"/],
    ['app=web\nx', /unexpected character "\\n"/],
    ['app>1', /unexpected ">1" after key "app"/],
    ['app in (a', /expected ',' or '\)'/],
    ['app in ()', /must not hold empty values/],
    ['app in (a,)', /must not hold empty values/],
    ['app in a', /expected '\(' after 'in'/],
    ['app foo (a)', /unexpected/],
    ['!app=web', /unexpected character "="/],
    ['app=web,', /expected a key/],
    [',app', /expected a key/],
    ['-app=web', /key "-app"/],
    ['App_/x=1', /key prefix "App_"/],
    ['a/b/c=1', /key "a\/b\/c"/],
    [`${'k'.repeat(64)}=1`, /key/],
    [`app=${'v'.repeat(64)}`, /value/],
    ['app=-web', /value "-web"/],
    ['app=web=x', /unexpected character "="/],
    [`app=${'a,'.repeat(3000)}`, /longer than 4096/],
  ])('rejects %j', (selector, reason) => {
    expect(() => parseLabelSelector(selector)).toThrow(InputError);
    expect(() => parseLabelSelector(selector)).toThrow(reason);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', 'example.com/owned': '' };

  it.each([
    ['app=web', true],
    ['app==api', false],
    ['app!=api', true],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['missing in (x)', false],
    ['app notin (web)', false],
    ['missing notin (x)', true],
    ['example.com/owned', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['app=web,tier=frontend', true],
    ['app=web,tier=backend', false],
    ['', true],
  ])('%j matches: %s', (selector, expected) => {
    expect(matchesLabelSelector(selector, labels)).toBe(expected);
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });

  it('treats missing labels as none and ignores inherited properties', () => {
    expect(matchesLabelSelector('app', undefined)).toBe(false);
    expect(matchesLabelSelector('!app', undefined)).toBe(true);
    expect(matchesLabelSelector('toString', {})).toBe(false);
  });

  it('rejects an invalid selector instead of matching nothing', () => {
    expect(() => matchesLabelSelector('a in (b', {})).toThrow(InputError);
  });
});
