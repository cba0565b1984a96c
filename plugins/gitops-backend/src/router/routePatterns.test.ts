import {
  type PathToRegexpModule,
  compileEachPathOnce,
  validatorPathToRegexp,
} from './routePatterns';
import { createGitOpsApiRouter } from './openApiRouter';

// path-to-regexp's own, taken before any router is created.
const original = validatorPathToRegexp().pathToRegexp;

describe('compileEachPathOnce', () => {
  /** A module whose `pathToRegexp` is path-to-regexp's, counting its compilations. */
  const countingModule = () => {
    const compile = jest.fn((pattern: any, options?: any) =>
      original(pattern, options),
    );
    const module: PathToRegexpModule = { pathToRegexp: compile };
    return { module, compile };
  };

  it('compiles a path with the same options once and matches as the original does', () => {
    const { module, compile } = countingModule();
    compileEachPathOnce(module);
    const route = '/entities/:namespace/:kind/:name/applications';
    const options = { sensitive: false, strict: false };
    const first = module.pathToRegexp(route, options);
    const again = module.pathToRegexp(route, { ...options });
    expect(compile).toHaveBeenCalledTimes(1);
    const url = '/entities/default/Component/web/applications';
    expect(again.regexp.exec(url)?.slice(1)).toEqual([
      'default',
      'Component',
      'web',
    ]);
    expect(again.keys).toEqual(original(route, options).keys);
    // One answer for every caller, which none can change for the others.
    expect(again).toBe(first);
    expect(() => (again.keys as unknown[]).push('x')).toThrow();
    expect(module.pathToRegexp(route, options).keys).toHaveLength(3);
    // Options left out are their defaults: the same compilation.
    expect(module.pathToRegexp(route, { end: true })).toBe(
      module.pathToRegexp(route),
    );
    expect(compile).toHaveBeenCalledTimes(1);
    // Other options are another compilation, with their own meaning.
    const sensitive = module.pathToRegexp(route, {
      ...options,
      sensitive: true,
    });
    const prefix = module.pathToRegexp(route, { end: false });
    expect(compile).toHaveBeenCalledTimes(3);
    expect(sensitive.regexp.test(url.toUpperCase())).toBe(false);
    expect(first.regexp.test(url.toUpperCase())).toBe(true);
    expect(prefix.regexp.test(`${url}/more`)).toBe(true);
    expect(first.regexp.test(`${url}/more`)).toBe(false);
  });

  it('compiles every time what it cannot key: non-string paths and other than boolean options', () => {
    const { module, compile } = countingModule();
    compileEachPathOnce(module);
    module.pathToRegexp(['/a', '/b']);
    module.pathToRegexp(['/a', '/b']);
    const encodePath = (s: string) => s;
    module.pathToRegexp('/a/:b', { encodePath });
    module.pathToRegexp('/a/:b', { encodePath });
    module.pathToRegexp('/a/:b', { delimiter: '.' });
    module.pathToRegexp('/a/:b', { delimiter: '.' });
    expect(compile).toHaveBeenCalledTimes(6);
  });

  it('wraps once, however often it is called', () => {
    const { module, compile } = countingModule();
    compileEachPathOnce(module);
    compileEachPathOnce(module);
    module.pathToRegexp('/x');
    module.pathToRegexp('/x');
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("is installed on the module the generated router's validator calls", async () => {
    await createGitOpsApiRouter();
    const validators = validatorPathToRegexp();
    expect(validators.pathToRegexp).not.toBe(original);
    const first = validators.pathToRegexp('/events', { sensitive: false });
    const again = validators.pathToRegexp('/events', { sensitive: false });
    expect(again.regexp).toBe(first.regexp);
    expect(again.regexp.test('/events')).toBe(true);
  });
});
