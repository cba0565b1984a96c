import { authorName } from './HistoryTable';

describe('authorName', () => {
  it('keeps the name of a git author and drops the address', () => {
    expect(authorName('Alice Schmidt <alice@acme.example>')).toBe(
      'Alice Schmidt',
    );
    expect(authorName('Ada Lovelace')).toBe('Ada Lovelace');
  });

  it('keeps an author that is only an address', () => {
    expect(authorName('<bot@acme.example>')).toBe('<bot@acme.example>');
  });
});
