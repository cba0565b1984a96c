import { createHash } from 'node:crypto';
import { ResponseError } from '@backstage/errors';
import { parseAllDocuments } from 'yaml';

interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, any>;
}

const LOCATION = 'backstage.io/managed-by-location';
const ORIGIN = 'backstage.io/managed-by-origin-location';

function refOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/** The error the catalog client throws for an error response of the catalog backend. */
async function responseError(
  status: number,
  statusText: string,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText,
        headers: { 'content-type': 'application/json' },
      },
    ),
  );
}

/**
 * The catalog as the scaffolder's actions reach it through `catalogServiceRef`, answering as
 * the catalog backend does: entity reads by ref and filter; `addLocation` refusing a location
 * registered before with 409 (thrown as the client's ResponseError), a dry run that reads and
 * parses the file (a Location entity `generated-…` first, then the file's entities) and says
 * whether the location `exists`; a registered file's entities appear with their location
 * annotations, except that an entity of a ref another location already provides is not
 * replaced (the catalog's conflict rule). `read(url)` is what the catalog's URL reader sees.
 */
export class CatalogDouble {
  readonly #entities = new Map<string, Entity>();
  readonly locations = new Set<string>();
  readonly #read: (url: string) => Promise<string | undefined>;
  /** `addLocation` requests, `dry-run <target>` or `create <target>`. */
  readonly requests: string[] = [];

  constructor(options: { read: (url: string) => Promise<string | undefined> }) {
    this.#read = options.read;
  }

  /** An entity provided by configuration (users, groups). */
  addEntity(entity: Entity): void {
    this.#entities.set(refOf(entity), structuredClone(entity));
  }

  entity(ref: string): Entity | undefined {
    return structuredClone(this.#entities.get(ref.toLocaleLowerCase('en-US')));
  }

  async getEntityByRef(
    ref: string | { kind: string; namespace: string; name: string },
  ) {
    const key =
      typeof ref === 'string'
        ? ref
        : `${ref.kind}:${ref.namespace}/${ref.name}`;
    return this.entity(key) as any;
  }

  async getEntities(request: {
    filter?: Record<string, string>;
    fields?: string[];
  }) {
    const matches = (e: Entity) =>
      Object.entries(request.filter ?? {}).every(([key, value]) => {
        if (key === 'kind') return e.kind.toLowerCase() === value.toLowerCase();
        const annotation = /^metadata\.annotations\.(.+)$/.exec(key);
        if (annotation)
          return e.metadata.annotations?.[annotation[1]] === value;
        throw new Error(`CatalogDouble: unsupported filter ${key}`);
      });
    return {
      items: [...this.#entities.values()]
        .filter(matches)
        .map(e => structuredClone(e)) as any[],
    };
  }

  async #entitiesAt(target: string): Promise<Entity[]> {
    const content = await this.#read(target);
    if (content === undefined) {
      throw await responseError(
        400,
        'Bad Request',
        'InputError',
        `NotFoundError: Unable to read url, NotFoundError: could not read ${target}, 404 Not Found`,
      );
    }
    return parseAllDocuments(content).map(d => {
      const entity = d.toJS() as Entity;
      return {
        ...entity,
        metadata: {
          namespace: 'default',
          ...entity.metadata,
          annotations: {
            ...entity.metadata.annotations,
            [LOCATION]: `url:${target}`,
            [ORIGIN]: `url:${target}`,
          },
        },
      };
    });
  }

  async addLocation(
    location: { type: string; target: string; dryRun?: boolean },
    _options?: unknown,
  ) {
    const { type, target } = location;
    this.requests.push(`${location.dryRun ? 'dry-run' : 'create'} ${target}`);
    if (type !== 'url') {
      throw await responseError(
        400,
        'Bad Request',
        'InputError',
        'Registered locations must be of an allowed type ["url"]',
      );
    }
    const id = createHash('sha1').update(`${type}:${target}`).digest('hex');
    const exists = this.locations.has(target);
    const entityRef = `location:default/generated-${id}`;
    if (location.dryRun) {
      const generated: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: `generated-${id}`, namespace: 'default' },
        spec: { type, target },
      };
      return {
        exists,
        location: { id: `${type}:${target}`, type, target, entityRef },
        entities: [generated, ...(await this.#entitiesAt(target))] as any[],
      };
    }
    if (exists) {
      throw await responseError(
        409,
        'Conflict',
        'ConflictError',
        `Location ${type}:${target} already exists`,
      );
    }
    this.locations.add(target);
    // The catalog processes the location afterwards; a read failure only shows there.
    const entities = await this.#entitiesAt(target).catch(() => []);
    for (const entity of entities) {
      const current = this.#entities.get(refOf(entity));
      const from = current?.metadata.annotations?.[LOCATION];
      if (current && from !== `url:${target}`) continue;
      this.#entities.set(refOf(entity), entity);
    }
    return {
      location: { id, type, target, entityRef },
      entities: [] as any[],
    };
  }
}
