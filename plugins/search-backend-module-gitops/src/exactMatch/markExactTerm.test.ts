import { markExactTerm } from './markExactTerm';

function marked(text: string, term: string) {
  const highlight = markExactTerm({ text }, term);
  if (!highlight) return undefined;
  return highlight.fields.text
    .split(highlight.preTag)
    .join('[')
    .split(highlight.postTag)
    .join(']');
}

describe('markExactTerm', () => {
  it('marks a version only where it stands whole', () => {
    expect(
      marked(
        'repository http://127.0.0.1:7008/acme/gitops.git\nimages registry.acme.example/acme-web:1.3.0 ghcr.io/x/y:11.3.0 z:1.3.0-rc.1 w:1.3.0.1',
        '1.3.0',
      ),
    ).toBe(
      'repository http://127.0.0.1:7008/acme/gitops.git\nimages registry.acme.example/acme-web:[1.3.0] ghcr.io/x/y:11.3.0 z:1.3.0-rc.1 w:1.3.0.1',
    );
  });

  it('finds a version typed with or without its v, and an image or cluster without case', () => {
    expect(marked('images web:v2.1.0', '2.1.0')).toBe('images web:[v2.1.0]');
    expect(marked('images web:2.1.0', 'V2.1.0')).toBe('images web:[2.1.0]');
    expect(
      marked('images ghcr.io/acme/web:1.4.2\ncluster acme-dev', 'ACME-DEV'),
    ).toBe('images ghcr.io/acme/web:1.4.2\ncluster [acme-dev]');
    expect(marked('images ghcr.io/acme/web:1.4.2', 'web:1.4.2')).toBe(
      'images ghcr.io/acme/[web:1.4.2]',
    );
    // not a part of a longer name
    expect(marked('cluster acme-dev-eu', 'acme-dev')).toBeUndefined();
  });

  it('leaves fields without the term out and gives nothing when no field has it', () => {
    const highlight = markExactTerm(
      { title: 'acme-web-dev', text: 'images web:1.3.0' },
      '1.3.0',
    );
    expect(Object.keys(highlight!.fields)).toEqual(['text']);
    expect(
      markExactTerm({ text: 'images web:1.4.0' }, '1.3.0'),
    ).toBeUndefined();
  });

  it('treats the term as text, not as a pattern', () => {
    expect(marked('images a.b:1x3y0', '1.3.0')).toBeUndefined();
  });
});
