import { lineDiff } from './lineDiff';

describe('lineDiff', () => {
  it('marks changed lines and folds long unchanged runs', () => {
    const live = [
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'image: v1',
      'i',
    ].join('\n');
    const desired = [
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
      'image: v2',
      'i',
    ].join('\n');
    expect(lineDiff(live, desired, 2)).toEqual([
      { kind: 'skipped', count: 6 },
      { kind: 'same', text: 'g' },
      { kind: 'same', text: 'h' },
      { kind: 'removed', text: 'image: v1' },
      { kind: 'added', text: 'image: v2' },
      { kind: 'same', text: 'i' },
    ]);
  });

  it('shows a resource that does not exist yet as all added', () => {
    expect(lineDiff('', 'kind: Service\nname: x\n')).toEqual([
      { kind: 'added', text: 'kind: Service' },
      { kind: 'added', text: 'name: x' },
    ]);
  });
});
