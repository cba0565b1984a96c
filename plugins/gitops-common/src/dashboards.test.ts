import {
  ALERTS_URL_ANNOTATION,
  METRICS_URL_ANNOTATION,
  fillDashboardTemplate,
  resolveDashboardLinks,
} from './dashboards';

const entity = (annotations: Record<string, string>) => ({
  metadata: { annotations },
});

describe('dashboard links', () => {
  it('fills the placeholders, encoded', () => {
    expect(
      fillDashboardTemplate(
        'https://grafana.example.com/d/web?var-env={environment}&var-app={app}&t={tenant}',
        { environment: 'staging', app: 'acme-web-staging', tenant: 'acme' },
      ),
    ).toBe(
      'https://grafana.example.com/d/web?var-env=staging&var-app=acme-web-staging&t=acme',
    );
    expect(
      fillDashboardTemplate('https://g.example.com/{environment}', {
        environment: 'a/../b?x=1',
      }),
    ).toBe('https://g.example.com/a%2F..%2Fb%3Fx%3D1');
  });

  it('refuses anything but absolute http(s) URLs, and unfilled placeholders', () => {
    expect(
      fillDashboardTemplate(`${'javascript'}:alert(1)`, {}),
    ).toBeUndefined();
    expect(
      fillDashboardTemplate(' JavaScript:alert({app})', { app: 'x' }),
    ).toBeUndefined();
    expect(fillDashboardTemplate('data:text/html,hi', {})).toBeUndefined();
    expect(fillDashboardTemplate('/relative/{app}', { app: 'x' })).toBe(
      undefined,
    );
    expect(
      fillDashboardTemplate('https://user:pw@g.example.com/', {}),
    ).toBeUndefined();
    expect(
      fillDashboardTemplate('https://g.example.com/{tenant}', {}),
    ).toBeUndefined();
  });

  it('prefers the per-environment annotation, matching environment aliases', () => {
    const e = entity({
      [METRICS_URL_ANNOTATION]: 'https://m.example.com/{environment}',
      [`${METRICS_URL_ANNOTATION}.prod`]: 'https://prod-m.example.com/',
      [ALERTS_URL_ANNOTATION]: `${'javascript'}:alert(1)`,
    });
    expect(resolveDashboardLinks(e, { environment: 'production' })).toEqual({
      metricsUrl: 'https://prod-m.example.com/',
    });
    expect(resolveDashboardLinks(e, { environment: 'dev' })).toEqual({
      metricsUrl: 'https://m.example.com/dev',
    });
    expect(resolveDashboardLinks(entity({}), { environment: 'dev' })).toEqual(
      {},
    );
  });
});
