import { normalizeEnvironment } from './environments';

/**
 * Entity annotations linking to an entity's dashboards. The value is a URL template with the
 * placeholders `{environment}`, `{tenant}` and `{app}` (the Argo CD application); an
 * environment-specific annotation (`kupe.cloud/metrics-url.production`) wins over the
 * general one.
 *
 * @public
 */
export const METRICS_URL_ANNOTATION = 'kupe.cloud/metrics-url';
/**
 * See {@link METRICS_URL_ANNOTATION}; the alerts dashboard of the entity.
 *
 * @public
 */
export const ALERTS_URL_ANNOTATION = 'kupe.cloud/alerts-url';

/**
 * Links of one environment; only valid http(s) URLs are ever returned.
 *
 * @public
 */
export interface DashboardLinks {
  /** The metrics dashboard, from `kupe.cloud/metrics-url`. */
  metricsUrl?: string;
  /** The alerts view, from `kupe.cloud/alerts-url`. */
  alertsUrl?: string;
}

/**
 * The values a dashboard URL template may use (`{environment}`, `{tenant}`, `{app}`, ...).
 *
 * @public
 */
export interface DashboardContext {
  /** Fills `{environment}`. */
  environment?: string;
  /** Fills `{tenant}`. */
  tenant?: string;
  /** Fills `{app}`: the Argo CD application's name. */
  app?: string;
}

const PLACEHOLDER = /\{(environment|tenant|app)\}/g;

/**
 * Fills a URL template and checks the result: absolute, http or https (so never
 * `javascript:` or `data:`), and no placeholder left without a value. Values are
 * URI-component encoded, so an environment name cannot add a path or a query.
 */
export function fillDashboardTemplate(
  template: string,
  context: DashboardContext,
): string | undefined {
  let missing = false;
  const filled = template.trim().replace(PLACEHOLDER, (_, key: string) => {
    const value = context[key as keyof DashboardContext];
    if (!value) {
      missing = true;
      return '';
    }
    return encodeURIComponent(value);
  });
  if (missing || !filled) return undefined;
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  return url.toString();
}

function annotationFor(
  annotations: Record<string, string>,
  base: string,
  environment: string | undefined,
): string | undefined {
  if (environment) {
    const wanted = normalizeEnvironment(environment);
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(`${base}.`)) continue;
      if (normalizeEnvironment(key.slice(base.length + 1)) === wanted)
        return value;
    }
  }
  return annotations[base];
}

/**
 * The metrics and alerts links of an entity for one environment (and app).
 *
 * @public
 */
export function resolveDashboardLinks(
  entity: { metadata: { annotations?: Record<string, string> } },
  context: DashboardContext,
): DashboardLinks {
  const annotations = entity.metadata.annotations ?? {};
  const links: DashboardLinks = {};
  const metrics = annotationFor(
    annotations,
    METRICS_URL_ANNOTATION,
    context.environment,
  );
  const alerts = annotationFor(
    annotations,
    ALERTS_URL_ANNOTATION,
    context.environment,
  );
  const metricsUrl = metrics && fillDashboardTemplate(metrics, context);
  const alertsUrl = alerts && fillDashboardTemplate(alerts, context);
  if (metricsUrl) links.metricsUrl = metricsUrl;
  if (alertsUrl) links.alertsUrl = alertsUrl;
  return links;
}
