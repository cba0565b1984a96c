/**
 * Wire types of the DORA figures, generated from the backend's OpenAPI document like the
 * other route types (see ./api.ts): `GET /entities/{namespace}/{kind}/{name}/dora` and
 * `GET /tenants/{tenant}/dora`, each with `?days=` or `?from=&to=`.
 */
import type { GitOpsApiSchemas } from './api';

/**
 * One DORA figure: its value (absent when nothing was measured), what it counts and how it
 * was computed.
 *
 * @public
 */
export type DoraFigure = GitOpsApiSchemas['DoraFigure'];

/**
 * One production deployment the figures were computed from.
 *
 * @public
 */
export type DoraDeployment = GitOpsApiSchemas['DoraDeployment'];

/**
 * One bar of the figures' chart: changes and failed changes in a day or a week.
 *
 * @public
 */
export type DoraBucket = GitOpsApiSchemas['DoraBucket'];

/**
 * The DORA figures of an entity or a tenant over a period.
 *
 * @public
 */
export type DoraResponse = GitOpsApiSchemas['DoraResponse'];
