import type { BackendClient, OpenPage } from './entityViews';
import { openPage } from './entityViews';
import { openPages } from './openPortal';
import type { Component } from './types';

jest.mock('./entityViews', () => ({
  ...jest.requireActual('./entityViews'),
  openPage: jest.fn(),
}));

describe('openPages', () => {
  it('counts a page that opens too late as failed, and leaves it once it opens', async () => {
    const closed: string[] = [];
    const pageOf = (name: string): OpenPage => ({
      polls: 0,
      pollFailures: 0,
      events: () => 0,
      close: async () => {
        closed.push(name);
      },
    });
    let openLate: () => void = () => {};
    jest
      .mocked(openPage)
      .mockImplementation(async (_view, _client, component) =>
        component.name === 'slow'
          ? new Promise<OpenPage>(resolve => {
              openLate = () => resolve(pageOf('slow'));
            })
          : pageOf(component.name),
      );
    const components = [{ name: 'fast' }, { name: 'slow' }] as Component[];
    const opened = await openPages(
      'community',
      {} as BackendClient,
      components,
      [],
      2,
      2,
      1_000,
      50,
    );
    expect(opened.pages).toHaveLength(1);
    expect(opened.failures).toBe(1);
    expect(opened.firstFailure).toBe('Error: page not open after 0.05 s');
    expect(closed).toEqual([]);
    // It opens after all, when nobody waits for it any more: it is left at once.
    openLate();
    await new Promise(resolve => setImmediate(resolve));
    expect(closed).toEqual(['slow']);
  });
});
