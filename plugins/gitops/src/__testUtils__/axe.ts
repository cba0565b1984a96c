import axe from 'axe-core';

/**
 * Runs axe-core on a rendered container and returns the violations as readable lines, so a
 * failing assertion names the rule and the offending markup.
 */
export async function accessibilityViolations(
  container: Element,
): Promise<string[]> {
  const results = await axe.run(container, {
    // jsdom cannot compute colours or layout, so contrast is checked in the browser journeys.
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map(
    v => `${v.id}: ${v.help} (${v.nodes.map(n => n.html).join(' | ')})`,
  );
}
