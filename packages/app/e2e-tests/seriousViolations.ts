import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/**
 * Violations that come from Backstage's own components around our pages, not from what this
 * app renders. Each is logged instead of failing the journey, and named here so a new one
 * is never silently accepted.
 */
const upstream: Array<{
  rule: string;
  element(target: string, html: string): boolean;
  why: string;
}> = [
  {
    // @backstage/ui's header tabs (react-aria) point aria-controls at a panel id axe rejects
    rule: 'aria-valid-attr-value',
    element: target => /-tab-[a-z]+$/.test(target),
    why: "Backstage's page header tabs",
  },
  {
    // NotificationsSidebarItem names its link "Notifications" while showing the unread
    // count beside the text, so with unread notifications the visible text ("Notifications2")
    // is not part of the accessible name
    rule: 'label-content-name-mismatch',
    element: (_target, html) => html.includes('href="/notifications"'),
    why: "Backstage's notifications sidebar item with an unread count",
  },
  ...[
    'aria-allowed-role',
    'aria-required-children',
    'aria-required-parent',
  ].map(rule => ({
    // core-components' LogViewer gives each line number (an <a>) role="row", outside
    // any table or grid
    rule,
    element: (_target: string, html: string) =>
      /^<a role="row" target="_self" href="#line-\d+"/.test(html),
    why: "Backstage's LogViewer line numbers",
  })),
  {
    // core-components' LogViewer's filter toggle is an IconButton without a label
    rule: 'button-name',
    // (a production build names its classes jss…, so the button is known by its markup)
    element: (_target: string, html: string) =>
      html ===
      '<button class="MuiButtonBase-root MuiIconButton-root MuiIconButton-sizeSmall" tabindex="0" type="button">',
    why: "Backstage's LogViewer filter toggle",
  },
  {
    // SearchResultListItemBlueprint (@backstage/plugin-search-react/alpha) wraps every result
    // item, ours and the catalog's, in a MUI <ListItem divider alignItems="flex-start"> (an
    // <li>), while the new frontend system's search page (@backstage/plugin-search/alpha
    // SearchPage) renders the results in a Fragment instead of a <List>: an <li> with no <ul>
    rule: 'listitem',
    element: (_target, html) =>
      /^<li class="MuiListItem-root[^"]*MuiListItem-divider MuiListItem-alignItemsFlexStart"/.test(
        html,
      ),
    why: "Backstage's search page (result items outside a list)",
  },
];

/**
 * The serious and critical axe violations on the page (or only inside the elements that
 * `include` selects), as `rule: target: element`, except the named upstream ones (logged).
 * An empty list means the page passes.
 */
export async function seriousViolations(
  page: Page,
  include?: string,
): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const found: string[] = [];
  for (const v of violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') continue;
    for (const node of v.nodes) {
      const target = node.target.join(' ');
      const known = upstream.find(
        u => u.rule === v.id && u.element(target, node.html),
      );
      if (known) {
        // eslint-disable-next-line no-console
        console.log(`${known.why} (not this app): ${v.id} on ${target}`);
      } else found.push(`${v.id}: ${target}: ${node.html}`);
    }
  }
  return found;
}
