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
    expect(again.keys).toEqual(first.keys);
    // Each caller gets its own keys: one changing them changes no one else's.
    again.keys.length = 0;
    expect(module.pathToRegexp(route, options).keys).toHaveLength(3);
    // Other options are another compilation, with their own meaning.
    const sensitive = module.pathToRegexp(route, {
      ...options,
      sensitive: true,
    });
    expect(compile).toHaveBeenCalledTimes(2);
    expect(sensitive.regexp.test(url.toUpperCase())).toBe(false);
    expect(first.regexp.test(url.toUpperCase())).toBe(true);
  });

  it('compiles every time what it cannot key: non-string paths and non-primitive options', () => {
    const { module, compile } = countingModule();
    compileEachPathOnce(module);
    module.pathToRegexp(['/a', '/b']);
    module.pathToRegexp(['/a', '/b']);
    const encodePath = (s: string) => s;
    module.pathToRegexp('/a/:b', { encodePath });
    module.pathToRegexp('/a/:b', { encodePath });
    expect(compile).toHaveBeenCalledTimes(4);
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
