/*
 * Post-deploy validation: one row per followed rollout (an Argo CD sync operation), and one
 * per open "stays Degraded / OutOfSync" episode. Times are epoch milliseconds.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_rollouts', table => {
    table.comment('Rollouts of Argo CD applications followed by the portal');
    // `<instance>/<appNamespace>/<name>@<operation startedAt>`: every replica computes the
    // same key for the same operation, so recording is idempotent.
    table.string('rollout_key', 400).primary();
    table.string('instance', 63).notNullable();
    table.string('app_namespace', 63).notNullable();
    table.string('app_name', 253).notNullable();
    table.string('tenant', 63).nullable();
    table.string('environment', 63).nullable();
    table.string('revision', 255).nullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('operation_finished_at').nullable();
    table.bigInteger('synced_at').nullable();
    table.bigInteger('healthy_at').nullable();
    table.bigInteger('bake_time_ms').notNullable();
    table.string('outcome', 16).notNullable();
    table.text('reason').nullable();
    table.bigInteger('decided_at').nullable();
    // Set by the one replica that claimed the failure notification.
    table.bigInteger('notified_at').nullable();
    table.index(
      ['instance', 'app_namespace', 'app_name', 'started_at'],
      'gitops_rollouts_app_idx',
    );
  });
  await knex.schema.createTable('gitops_app_alerts', table => {
    table.comment(
      'Open episodes of applications staying Degraded or OutOfSync',
    );
    table.string('instance', 63).notNullable();
    table.string('app_namespace', 63).notNullable();
    table.string('app_name', 253).notNullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('since').notNullable();
    table.bigInteger('notified_at').nullable();
    table.primary(['instance', 'app_namespace', 'app_name', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_app_alerts');
  await knex.schema.dropTable('gitops_rollouts');
};
