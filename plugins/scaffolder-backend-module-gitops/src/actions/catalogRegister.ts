import { ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { plainMessage } from '../plan/messages';
import { examples } from './catalogRegister.examples';
import { withInputDefaults } from './withInputDefaults';
import { withPlainErrors } from './withPlainErrors';

/**
 * What `createCatalogRegisterAction` is built from: the catalog service.
 *
 * @public
 */
export interface CatalogRegisterActionOptions {
  catalog: Pick<CatalogService, 'addLocation'>;
}

interface Entity {
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** `kind:namespace/name` as Backstage's stringifyEntityRef writes it (name case kept). */
function stringifyEntityRef(entity: Entity): string {
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const namespace = (entity.metadata.namespace ?? 'default').toLocaleLowerCase(
    'en-US',
  );
  return `${kind}:${namespace}/${entity.metadata.name}`;
}

/** The catalog's error text without the client's wrapping ("Request failed with 409 …"). */
function catalogMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return plainMessage(error.body?.error?.message ?? error.message);
  }
  return plainMessage(error);
}

function isConflict(error: unknown): boolean {
  return (
    (error instanceof ResponseError && error.response.status === 409) ||
    (error as { name?: string })?.name === 'ConflictError'
  );
}

/** The entity a template links to: the Component if there is one, as catalog:register picks. */
function mainEntity(entities: Entity[]): Entity | undefined {
  const named = entities.filter(e => !e.metadata.name.startsWith('generated-'));
  return named.find(e => e.kind === 'Component') ?? named[0] ?? entities[0];
}

/**
 * `kupe:catalog:register`: registers a catalog-info.yaml URL, idempotently. Backstage's
 * `catalog:register` fails a re-run with the catalog's "409 Conflict" for a location that is
 * already registered, and its `optional` swallows every other failure too (an unreadable file
 * would pass silently). This one reads the file first (the catalog's dry run), registers the
 * location only when it is new, and reports an existing one as already done with the same
 * outputs.
 *
 * @public
 */
export function createCatalogRegisterAction(
  options: CatalogRegisterActionOptions,
) {
  const { catalog } = options;
  const action = createTemplateAction({
    id: 'kupe:catalog:register',
    description:
      'Registers a catalog-info.yaml URL in the catalog; a location registered before (a re-run) is reported as done, not as a conflict',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string({
            description: 'Absolute URL of the catalog-info.yaml to register',
          }),
      },
      output: {
        entityRef: z =>
          z
            .string({
              description: 'The registered Component (else first entity)',
            })
            .optional(),
        catalogInfoUrl: z => z.string(),
        alreadyRegistered: z =>
          z.boolean({
            description: 'Whether the location was registered before this run',
          }),
      },
    },
    async handler(ctx) {
      const target = ctx.input.catalogInfoUrl;
      ctx.output('catalogInfoUrl', target);
      if (ctx.isDryRun) {
        // The file is written by an earlier step, which a dry run does not do.
        ctx.logger.info(`Dry run: would register ${target} in the catalog`);
        ctx.output('alreadyRegistered', false);
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      let preview;
      try {
        preview = await catalog.addLocation(
          { type: 'url', target, dryRun: true },
          { credentials },
        );
      } catch (error) {
        throw new Error(
          `The catalog cannot read ${target}: ${catalogMessage(
            error,
          )}. Nothing was registered; the repository and Applications are in place, so running the template again registers it once the file is readable`,
        );
      }
      let alreadyRegistered = !!preview.exists;
      if (!alreadyRegistered) {
        alreadyRegistered = await ctx.checkpoint({
          key: `kupe.catalog.register.${target}`,
          fn: async () => {
            try {
              await catalog.addLocation(
                { type: 'url', target },
                { credentials },
              );
              return false;
            } catch (error) {
              // Another run registered it since the dry run: the location is there, as asked.
              if (isConflict(error)) return true;
              throw new Error(
                `The catalog did not register ${target}: ${catalogMessage(
                  error,
                )}. Nothing was registered; running the template again registers it`,
              );
            }
          },
        });
      }
      const entity = mainEntity(preview.entities);
      if (entity) ctx.output('entityRef', stringifyEntityRef(entity));
      ctx.output('alreadyRegistered', alreadyRegistered);
      ctx.logger.info(
        alreadyRegistered
          ? `${target} was already registered in the catalog${
              entity ? ` (${stringifyEntityRef(entity)})` : ''
            }; nothing to do`
          : `Registered ${target} in the catalog`,
      );
    },
  });
  return withPlainErrors(withInputDefaults(action));
}
