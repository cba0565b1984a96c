/*
 * Quarantined releases: a version of a service (image tag, chart version or Git revision)
 * marked bad, kept after it is lifted (who, when and why) for the record. Times are epoch
 * milliseconds.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_quarantines', table => {
    table.comment('Versions of services quarantined through the portal');
    table.string('id', 64).primary();
    table.string('tenant', 63).notNullable();
    table.string('entity_ref', 400).notNullable();
    // The entity's argocd/* annotations as read when quarantined (JSON): which applications
    // the quarantine covers, matched against the index without a catalog read.
    table.text('selection').notNullable();
    table.string('version', 128).notNullable();
    table.text('reason').notNullable();
    table.string('created_by', 400).notNullable();
    table.bigInteger('created_at').notNullable();
    // `<entity_ref>@<version>` while active, null once lifted: a unique index every engine
    // enforces (nulls are distinct), so two replicas cannot both quarantine the same version.
    table.string('active_key', 540).nullable().unique();
    table.string('lifted_by', 400).nullable();
    table.bigInteger('lifted_at').nullable();
    table.text('lift_reason').nullable();
    table.index(['tenant', 'lifted_at'], 'gitops_quarantines_tenant_idx');
    table.index(['entity_ref'], 'gitops_quarantines_entity_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_quarantines');
};
