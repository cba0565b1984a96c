import {
  isExactChartVersion,
  olderChartVersion,
  resolveChartVersion,
} from './helmCharts';

const versions = ['1.9.0', '2.3.0', '2.4.0', '2.4.1', '2.5.0-rc.1', '3.0.0'];

describe('resolveChartVersion', () => {
  it.each([
    ['2.4.0', '2.4.0'],
    ['^2.4.0', '2.4.1'],
    ['~2.3.0', '2.3.0'],
    ['2.4.x', '2.4.1'],
    ['2.x', '2.4.1'],
    ['>=1.0.0 <2.0.0', '1.9.0'],
    ['>=1.0.0, <2.4.0', '2.3.0'],
    ['*', '3.0.0'],
    ['', '3.0.0'],
    ['^1.0.0 || ^3.0.0', '3.0.0'],
    ['>=2.5.0-rc.0 <3.0.0', '2.5.0-rc.1'],
  ])('resolves %p to %p as the repo-server does', (constraint, expected) => {
    expect(resolveChartVersion(constraint, versions)).toBe(expected);
  });

  it('returns undefined when nothing matches', () => {
    expect(resolveChartVersion('^4.0.0', versions)).toBeUndefined();
  });

  it('tells exact versions from ranges', () => {
    expect(isExactChartVersion('2.4.1')).toBe(true);
    expect(isExactChartVersion('v2.4.1+build.1')).toBe(true);
    expect(isExactChartVersion('2.4.x')).toBe(false);
    expect(isExactChartVersion('^2.4.1')).toBe(false);
  });

  it('steps back through plausible older releases', () => {
    expect(olderChartVersion('2.4.1', 1)).toBe('2.4.0');
    expect(olderChartVersion('2.4.1', 2)).toBe('2.3.9');
  });
});
