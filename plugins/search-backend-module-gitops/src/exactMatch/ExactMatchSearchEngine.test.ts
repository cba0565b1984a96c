import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  LunrSearchEngine,
  TestPipeline,
} from '@backstage/plugin-search-backend-node';
import { PgSearchEngine } from '@backstage/plugin-search-backend-module-pg';
import type {
  IndexableDocument,
  SearchEngine,
  SearchQuery,
} from '@backstage/plugin-search-common';
import { TenantNaming } from '@kupe/plugin-gitops-common';
import { buildApplication } from '@kupe/plugin-gitops-node-test-utils';
import { toArgoCdApplicationDocument } from '../collators/toArgoCdApplicationDocument';
import { ExactMatchSearchEngine } from './ExactMatchSearchEngine';

/*
 * The same searches on Lunr (in process) and on PostgreSQL (the server from
 * scripts/services.sh, KUPE_TEST_POSTGRES_URL; without it the PostgreSQL cases fail in CI and
 * are skipped, saying why, elsewhere).
 */
const POSTGRES_URL = process.env.KUPE_TEST_POSTGRES_URL;
const PG_REASON =
  'KUPE_TEST_POSTGRES_URL not set: start the server with `source scripts/services.sh && kupe_services_start`';
if (POSTGRES_URL) {
  // backend-test-utils then creates a database per test run on that server instead of Docker.
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING =
    POSTGRES_URL;
} else if (process.env.CI !== 'true') {
  // eslint-disable-next-line no-console
  console.warn(`Skipping the PostgreSQL search cases: ${PG_REASON}`);
}

const naming = new TenantNaming();
const APPS = [
  buildApplication({
    name: 'acme-web-dev',
    tenant: 'acme',
    environment: 'dev',
    images: ['ghcr.io/acme/web:1.3.0'],
  }),
  buildApplication({
    name: 'acme-web-staging',
    tenant: 'acme',
    environment: 'staging',
    images: ['ghcr.io/acme/web:1.3.0'],
  }),
  buildApplication({
    name: 'acme-web-prod',
    tenant: 'acme',
    environment: 'prod',
    images: ['ghcr.io/acme/web:1.2.0'],
  }),
  buildApplication({
    name: 'acme-api-dev',
    tenant: 'acme',
    environment: 'dev',
    images: ['ghcr.io/acme/api:1.3.1', 'envoyproxy/envoy:v1.30.1'],
  }),
  buildApplication({
    name: 'globex-shop-dev',
    tenant: 'globex',
    environment: 'dev',
    images: ['docker.io/globex/shop:1.4.2'],
  }),
  buildApplication({
    name: 'globex-cache-prod',
    tenant: 'globex',
    environment: 'prod',
    chart: 'redis',
    targetRevision: '18.1.0',
  }),
];
const APP_DOCUMENTS = APPS.map(app =>
  toArgoCdApplicationDocument({
    app,
    instance: { name: 'main', uiUrl: 'https://argocd.example.com' },
    naming,
    owner: undefined,
    defaultAppNamespace: 'argocd',
  }),
);
// Another document type whose text holds the same words.
const CATALOG_DOCUMENTS: IndexableDocument[] = [
  {
    title: 'web',
    text: 'The acme web service, 1.3.0 on acme-dev; image ghcr.io/acme/web:1.3.0',
    location: '/catalog/default/component/web',
  },
];

async function indexInto(engine: SearchEngine) {
  for (const [type, documents] of [
    ['argocd-application', APP_DOCUMENTS],
    ['software-catalog', CATALOG_DOCUMENTS],
  ] as const) {
    await TestPipeline.fromIndexer(await engine.getIndexer(type))
      .withDocuments([...documents])
      .execute();
  }
}

async function titles(engine: SearchEngine, query: Partial<SearchQuery>) {
  const found = await engine.query({ term: '', ...query });
  return found.results.map(r => r.document.title).sort();
}

const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});

const ENGINES: Array<[string, () => Promise<SearchEngine>]> = [
  [
    'Lunr',
    async () => new LunrSearchEngine({ logger: mockServices.logger.mock() }),
  ],
];
if (POSTGRES_URL || process.env.CI === 'true') {
  ENGINES.push([
    'PostgreSQL',
    async () => {
      if (!POSTGRES_URL) throw new Error(PG_REASON);
      const knex = await databases.init('POSTGRES_15');
      return PgSearchEngine.fromConfig(new ConfigReader({}), {
        database: { getClient: async () => knex },
        logger: mockServices.logger.mock(),
      });
    },
  ]);
}

describe.each(ENGINES)('exact search on %s', (_name, createEngine) => {
  let raw: SearchEngine;
  let engine: SearchEngine;

  beforeAll(async () => {
    raw = await createEngine();
    engine = new ExactMatchSearchEngine(raw);
    await indexInto(engine);
  }, 60_000);

  it.each([
    ['1.3.0', ['acme-web-dev', 'acme-web-staging']],
    ['v1.3.0', ['acme-web-dev', 'acme-web-staging']],
    ['1.30.1', ['acme-api-dev']],
    ['V1.30.1', ['acme-api-dev']],
    ['ghcr.io/acme/web:1.3.0', ['acme-web-dev', 'acme-web-staging']],
    ['ghcr.io/acme/web', ['acme-web-dev', 'acme-web-prod', 'acme-web-staging']],
    ['web:1.2.0', ['acme-web-prod']],
    ['envoyproxy/envoy:v1.30.1', ['acme-api-dev']],
    ['acme-dev', ['acme-api-dev', 'acme-web-dev']],
    ['globex-prod', ['globex-cache-prod']],
    // a Helm-repository chart's version
    ['18.1.0', ['globex-cache-prod']],
    ['redis:18.1.0', ['globex-cache-prod']],
  ])(
    '%s finds exactly the apps running it, and nothing else',
    async (term, apps) => {
      expect(await titles(engine, { term })).toEqual(apps);
      // the same when the search page asks for apps only
      expect(
        await titles(engine, { term, types: ['argocd-application'] }),
      ).toEqual(apps);
    },
  );

  it.each(['9.9.9', '1.3', 'ghcr.io/acme/web:9.9.9', 'web:1.4.2'])(
    'a version or image that runs nowhere (%s) finds nothing',
    async term => {
      expect(await titles(engine, { term })).toEqual([]);
    },
  );

  it('ranks nothing but the exact apps first: the one page holds them all', async () => {
    const found = await engine.query({ term: '1.3.0', pageLimit: 25 });
    expect(found.results.map(r => r.type)).toEqual([
      'argocd-application',
      'argocd-application',
    ]);
    expect(found.results.map(r => r.rank)).toEqual([1, 2]);
  });

  it('marks the term in the exact hits, for the search page to show the match', async () => {
    for (const term of ['1.3.0', 'acme-dev']) {
      const found = await engine.query({ term });
      expect(found.results.length).toBeGreaterThan(0);
      for (const result of found.results) {
        expect(
          Object.values(result.highlight?.fields ?? {}).join(' '),
        ).toContain(result.highlight?.preTag);
      }
    }
  });

  it('pages through exact hits without falling back to a fuzzy search past the last', async () => {
    const first = await engine.query({ term: 'acme-dev', pageLimit: 1 });
    expect(first.results).toHaveLength(1);
    expect(first.nextPageCursor).toBeDefined();
    const second = await engine.query({
      term: 'acme-dev',
      pageLimit: 1,
      pageCursor: first.nextPageCursor,
    });
    expect(second.results).toHaveLength(1);
    expect(
      [first, second].map(p => p.results[0].document.title).sort(),
    ).toEqual(['acme-api-dev', 'acme-web-dev']);
    const past = await engine.query({
      term: 'acme-dev',
      pageLimit: 1,
      pageCursor: Buffer.from('5').toString('base64'),
    });
    expect(past.results).toEqual([]);
  });

  it('keeps the query’s own filters beside the exact term', async () => {
    expect(
      await titles(engine, {
        term: 'ghcr.io/acme/web',
        filters: { environment: 'dev' },
      }),
    ).toEqual(['acme-web-dev']);
  });

  it('leaves other words, phrases and other document types to the engine', async () => {
    // a word that is no version, image or cluster: the engine's ordinary search
    expect(await titles(engine, { term: 'service' })).toEqual(['web']);
    expect(await titles(engine, { term: 'acme-web-prod' })).toContain(
      'acme-web-prod',
    );
    // the catalog is searched as before when the page asks for it alone
    expect(
      await titles(engine, { term: '1.3.0', types: ['software-catalog'] }),
    ).toEqual(['web']);
    expect(await titles(engine, { term: 'globex shop' })).toContain(
      'globex-shop-dev',
    );
  });
});

describe('exact search before the apps are indexed', () => {
  it('answers from the other types as the engine does, instead of failing on the missing index', async () => {
    const raw = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    await TestPipeline.fromIndexer(await raw.getIndexer('software-catalog'))
      .withDocuments([...CATALOG_DOCUMENTS])
      .execute();
    const engine = new ExactMatchSearchEngine(raw);
    expect(await titles(engine, { term: '1.3.0' })).toEqual(['web']);
    await expect(
      engine.query({ term: '1.3.0', types: ['argocd-application'] }),
    ).rejects.toThrow(/Missing index for argocd-application/);
  });
});

describe('the engines without exact search', () => {
  it('Lunr finds apps running other versions for a version, the imprecision this module removes', async () => {
    const raw = new LunrSearchEngine({ logger: mockServices.logger.mock() });
    await indexInto(raw);
    const found = await titles(raw, {
      term: '1.3.0',
      types: ['argocd-application'],
    });
    expect(found).toEqual(
      expect.arrayContaining(['acme-web-dev', 'acme-web-staging']),
    );
    expect(found.length).toBeGreaterThan(2);
  });
});
