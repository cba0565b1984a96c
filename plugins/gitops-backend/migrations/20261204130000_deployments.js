/*
 * DORA figures: one row per production-or-not deployment the rollout follower saw succeed
 * (an Argo CD sync operation that Succeeded), with when it became Healthy and its validation.
 * Unlike gitops_rollouts (the newest rolloutsPerApplication per app) and Argo CD's history
 * (revisionHistoryLimit, 10 by default), rows stay for 400 days, so a year's figures are
 * whole. Times are epoch milliseconds.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_deployments', table => {
    table.comment('Deployments followed by the portal, kept for DORA figures');
    // The rollout's key, `<instance>/<appNamespace>/<name>@<operation startedAt>`: every
    // replica records the same row for the same operation.
    table.string('deployment_key', 400).primary();
    table.string('instance', 63).notNullable();
    table.string('app_namespace', 63).notNullable();
    table.string('app_name', 253).notNullable();
    table.string('tenant', 63).nullable();
    table.string('environment', 63).nullable();
    table.string('revision', 255).nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('deployed_at').notNullable();
    table.bigInteger('healthy_at').nullable();
    table.string('outcome', 16).notNullable();
    table.text('reason').nullable();
    table.index(
      ['instance', 'app_namespace', 'app_name', 'started_at'],
      'gitops_deployments_app_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_deployments');
};
