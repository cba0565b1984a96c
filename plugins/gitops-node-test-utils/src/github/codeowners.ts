/** Where GitHub looks for the CODEOWNERS file, first found wins. */
export const CODEOWNERS_LOCATIONS = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
] as const;

interface CodeownersRule {
  pattern: string;
  regex: RegExp;
  /** `@login`, `@org/team` or an e-mail address; empty = the path has no owner. */
  owners: string[];
}

function escapeRegex(char: string): string {
  return /[.+^${}()|[\]\\]/.test(char) ? `\\${char}` : char;
}

/**
 * A CODEOWNERS pattern as a regular expression over repository-relative file paths, following
 * GitHub's documented gitignore-like rules: a leading `/` or a `/` inside anchors the pattern at
 * the root, otherwise it matches at any depth; `*` and `?` stay within one path segment, `**`
 * crosses segments; a pattern that names a directory owns every file below it, except that a
 * trailing `/*` owns only the files directly inside (GitHub's `docs/*` example). Negation (`!`)
 * and character ranges (`[ ]`) are not supported by GitHub and are matched literally here.
 *
 * @public
 */
export function codeownersPatternRegex(pattern: string): RegExp {
  const directOnly = pattern.endsWith('/*') && !pattern.endsWith('/**/*');
  let body = pattern.replace(/\/+$/, '');
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\/+/, '');
  let re = '';
  for (let i = 0; i < body.length; ) {
    if (body.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 3;
    } else if (body.startsWith('**', i)) {
      re += '.*';
      i += 2;
    } else if (body[i] === '*') {
      re += '[^/]*';
      i += 1;
    } else if (body[i] === '?') {
      re += '[^/]';
      i += 1;
    } else if (body[i] === '\\' && i + 1 < body.length) {
      re += escapeRegex(body[i + 1]);
      i += 2;
    } else {
      re += escapeRegex(body[i]);
      i += 1;
    }
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  const suffix = directOnly ? '$' : '(?:/.*)?$';
  return new RegExp(`${prefix}${re}${suffix}`);
}

/**
 * A parsed CODEOWNERS file: the last matching rule decides a path's owners, as on GitHub.
 *
 * @public
 */
export class Codeowners {
  readonly #rules: CodeownersRule[];

  constructor(text: string) {
    this.#rules = text
      .split(/\r?\n/)
      .map(line => line.replace(/(^|\s)#.*$/, '').trim())
      .filter(Boolean)
      .map(line => {
        const [pattern, ...owners] = line.split(/\s+/);
        return { pattern, regex: codeownersPatternRegex(pattern), owners };
      });
  }

  /** The owners of one file; empty when no rule matches or the last match lists nobody. */
  ownersOf(path: string): string[] {
    for (let i = this.#rules.length - 1; i >= 0; i--) {
      if (this.#rules[i].regex.test(path)) return this.#rules[i].owners;
    }
    return [];
  }
}
