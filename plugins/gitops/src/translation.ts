import {
  type TranslationFunction,
  createTranslationRef,
} from '@backstage/frontend-plugin-api';
import { sectionMessages } from './translationSectionMessages';

/**
 * The texts of the GitOps card, tab, dialogs and messages, for Backstage's translation API:
 * an app rewords or translates them with `createTranslationMessages` (or a
 * `createTranslationResource` per language) for this ref, without forking the plugin.
 * Placeholders in `{{…}}` are filled in by the plugin; keys ending in `_one`/`_other` are the
 * singular and plural of one text. Argo CD's own status values (Synced, OutOfSync, Healthy, …)
 * are shown as Argo CD names them and are not part of the ref.
 *
 * @public
 */
export const gitOpsTranslationRef = createTranslationRef({
  id: 'gitops',
  messages: {
    card: {
      title: 'GitOps',
      deepLink: 'View GitOps details',
      tableLabel: 'Applications by environment',
      environmentGroup: 'Environment {{environment}}',
      columns: {
        environment: 'Environment',
        application: 'Application',
        status: 'Status',
        running: 'Running',
        synced: 'Synced',
      },
      drift_one:
        '{{count}} application has been OutOfSync for more than 15 minutes',
      drift_other:
        '{{count}} applications have been OutOfSync for more than 15 minutes',
      inArgoCd: '{{name}} in Argo CD',
      operation: {
        Running: 'Sync running',
        Terminating: 'Sync terminating',
        Failed: 'Last sync failed',
        Error: 'Last sync errored',
      },
    },
    tab: {
      title: 'GitOps',
    },
    overview: {
      title: 'Environments',
      columns: {
        environment: 'Environment',
        application: 'Application',
        status: 'Status',
        runs: 'Runs',
        lastDeploy: 'Last deploy',
        compared: 'Compared with previous',
        waiting: 'Waiting to deploy',
      },
      firstEnvironment: 'First environment',
      comparing: 'Comparing…',
      notCompared: 'Not compared',
      same: 'Runs what {{environment}} runs',
      behind: 'Behind {{environment}}',
      ahead: 'Ahead of {{environment}}',
      differs: 'Differs from {{environment}}',
      neverDeployed: 'Never deployed',
      nothingToCompare:
        'Nothing to compare with {{environment}}: no images or chart versions',
      difference: '{{name}} {{runs}} ({{environment}} {{previous}})',
      notRun: 'not run',
      doesNotRunIt: 'does not run it',
      waitingPromotion:
        '{{version}} from {{environment}}: deploys when promoted',
      waitingGit: '{{versions}}: in Git, deploys on the next sync',
      waitingCommit: 'Commit {{commit}}: in Git, deploys on the next sync',
      nothingWaiting: 'Nothing',
    },
    panel: {
      openInArgoCd: 'Open {{name}} in Argo CD',
      facts:
        '{{revision}} · {{destination}} · project {{project}} · sync policy {{syncPolicy}}',
      notFoundTitle: '{{name}} is not in Argo CD instance {{instance}}',
      notFoundMessage:
        'Argo CD answers that application {{namespace}}/{{name}} does not exist ({{reason}}): it was deleted or renamed, or you can no longer see it. Sync, refresh and rollback are unavailable; this page updates when it is back.',
      operation: 'Operation {{phase}}: {{message}}',
      history: 'History',
      resources: 'Resources',
      differences: 'Differences (live vs desired)',
      differencesLabel: 'Differences of {{name}}',
      noDifferences: 'No differing resources reported.',
    },
    messages: {
      notAMemberTitle: 'Applications of tenant {{tenant}}',
      notAMember:
        "{{entity}}'s Argo CD applications belong to tenant {{tenant}}, which you are not a member of. Ask that tenant's team for access to see them.",
      unknownTenant: 'unknown',
      unknownCluster: 'unknown cluster',
      noTenantTitle: 'No tenant',
      noTenant:
        '{{entity}} belongs to no tenant (its owner group has none), so only the platform team sees its Argo CD applications. Set an owner group of a tenant to show them here.',
      noApplicationsTitle: 'No Argo CD applications',
      noApplications:
        'No application matches the Argo CD annotations of {{entity}}.',
      unreachable: 'Argo CD instance {{instance}} is unreachable',
      unreachableSince:
        'Argo CD instance {{instance}} is unreachable since {{since}} ({{relative}})',
      stale: 'Stale data, {{age}} old',
      outOfSyncSince: 'OutOfSync since {{since}}',
      never: 'never',
      neverDeployed: 'never deployed',
      historyPending: 'deployed revision loading…',
      target: '(target {{revision}})',
      targetCommit: 'Target commit',
      commit: 'Commit',
      noRevision: 'no revision',
      noVersion: 'no version',
      notDeployed: 'not deployed',
      source: '{{source}} {{revision}}',
      sourceWithTarget: '{{source}} {{revision}}, target {{target}}',
    },
    status: {
      sync: 'Sync',
      health: 'Health',
      overall: 'Overall',
      unknown: 'Unknown',
      rollupCount: '{{label}} ({{number}} of {{total}})',
      chipName: '{{title}}: ',
      chipTitle: '{{title}}: {{label}}',
      rollup: {
        degraded: 'Degraded',
        failed: 'Sync failed',
        missing: 'Missing',
        'out-of-sync': 'Out of sync',
        progressing: 'Progressing',
        unknown: 'Unknown',
        healthy: 'Healthy',
        none: 'No applications',
      },
    },
    actions: {
      groupLabel: 'Actions for {{name}}',
      sync: 'Sync',
      dryRunSync: 'Dry-run sync',
      refresh: 'Refresh',
      hardRefresh: 'Hard refresh',
      terminate: 'Terminate',
      denied: 'You do not have permission to sync or refresh {{name}}.',
      needsPermission: 'Needs the {{permission}} permission.',
      needsPermissionIn:
        'Needs the {{permission}} permission in {{environment}}.',
      confirmTitle: '{{action}} {{name}}?',
      confirm: 'Confirm {{action}}',
      production: '{{name}} runs in production ({{environment}}).',
      prune:
        'Prune deletes every resource of {{name}} that is no longer in Git.',
      dryRunNote: 'This is a dry run: nothing is changed.',
      force:
        'Force deletes and re-creates every resource of {{name}} that cannot be patched.',
      terminateNote: 'The running sync operation stops where it is.',
      failed: '{{action}} of {{name}} failed: {{reason}}',
      syncStarted: 'Sync of {{name}} started.',
      syncStartedWith: 'Sync of {{name}} started with {{options}}.',
      dryRunStarted: 'Dry-run sync of {{name}} started; nothing is changed.',
      dryRunStartedWith:
        'Dry-run sync of {{name}} started with {{options}}; nothing is changed.',
      refreshRequested: '{{action}} of {{name}} requested.',
      terminateRequested:
        'Termination of the running operation on {{name}} requested.',
      selectedResources: '{{number}} selected resources',
      optionWords: {
        prune: 'prune',
        force: 'force',
        applyOnly: 'apply only',
        applyOutOfSyncOnly: 'out-of-sync resources only',
        serverSideApply: 'server-side apply',
      },
    },
    dialog: {
      cancel: 'Cancel',
      close: 'Close',
    },
    syncDialog: {
      title: 'Sync {{name}}',
      intro: 'Apply the desired state from Git to the cluster.',
      options: {
        prune: 'Prune: delete resources that are no longer in Git',
        dryRun: 'Dry run: only show what would change',
        applyOnly: 'Apply only: skip sync hooks',
        force: 'Force: delete and re-create resources that cannot be patched',
        applyOutOfSyncOnly:
          'Apply out of sync only: leave Synced resources alone',
        serverSideApply: 'Server-side apply',
      },
      onlySelected: 'Only selected resources',
      resourcesToSync: 'Resources to sync',
      loadFailed: 'Could not load the resources: {{reason}}',
      outOfSync: '(OutOfSync)',
      start: 'Start sync',
    },
    history: {
      empty: 'No deployments yet.',
      tableLabel: 'Deployment history of {{name}}',
      columns: {
        revision: 'Revision',
        author: 'Author',
        message: 'Message',
        deployedAt: 'Deployed at',
        startedBy: 'Started by',
        duration: 'Duration',
        validation: 'Validation',
        actions: 'Actions',
      },
      automatedSync: 'automated sync',
      quarantined: 'Quarantined: {{version}}',
      startedByAutomation: 'Automated sync',
      portal: '{{name}} (portal)',
      argoCdUser: 'User in Argo CD',
      noOwnChange: "No change to {{name}}'s files",
      otherFilesCommit: 'Repository commit (other files): {{message}}',
      portalTitle: '{{user}} through the portal',
      portalTitleWithAccount:
        '{{user}} through the portal (Argo CD account {{account}})',
      stillRuns: '(still runs {{message}})',
      syncInProgress: 'Sync in progress',
      notDeployed: 'Not deployed',
      started: 'started ',
      rollBack: 'Roll back',
      rollBackLabel: 'Roll back {{name}} to {{revision}} by Git revert',
      argoCdRollback: 'Argo CD rollback',
      argoCdRollbackLabel: 'Argo CD rollback of {{name}} to {{revision}}',
      argoCdRollbackTitle: 'Argo CD rollback of {{name}} to {{revision}}?',
      argoCdRollbackConfirm: 'Confirm Argo CD rollback',
      argoCdRollbackNote:
        'Argo CD deploys {{revision}} without changing Git, so {{name}} shows OutOfSync until Git catches up; its next sync returns to what Git says. "Roll back" reverts in Git instead.',
      argoCdRollbackStarted:
        'Argo CD rollback of {{name}} to {{revision}} started.',
      argoCdRollbackFailed: 'Argo CD rollback of {{name}} failed: {{reason}}',
    },
    resources: {
      empty: 'No managed resources.',
      tableLabel: 'Resources of {{name}}',
      columns: {
        kind: 'Kind',
        name: 'Name',
        namespace: 'Namespace',
        sync: 'Sync',
        health: 'Health',
      },
      willBePruned: '(will be pruned)',
    },
    promotion: {
      title: 'Promotion {{environment}} ({{name}})',
      titleTo: 'Promotion {{environment}} → {{next}} ({{name}})',
      readFailed: 'Could not read the promotion of {{name}}: {{reason}}',
      stale:
        'Out of date: what runs changed since this preview was read. Reading it again; Promote waits until then.',
      deployedVersion: 'Deployed version: {{version}}',
      nextRuns: '{{environment}} ({{name}}) runs {{version}}',
      versionChange: 'Version change',
      versionChangeLabel: 'Version change of {{name}}',
      chart: 'chart',
      chartDependency: 'chart dependency',
      unset: '(unset)',
      commitsLabel: 'Commits a promotion of {{name}} moves',
      diffLabel: 'Diff a promotion of {{name}} writes',
      confirmTitle: '{{action}}?',
      commitsSince: 'Commits since {{environment}}',
      changesTo: 'Changes to {{files}}',
      promote: 'Promote {{environment}} to {{next}}',
      downgrade: "Downgrade {{next}} to {{environment}}'s version",
      denied: 'You do not have permission to promote {{name}}.',
      needsApproval:
        'Opens a pull request that needs approval before it is merged.',
      opensPullRequest: 'Opens a pull request; merging it deploys.',
      opened: 'Pull request for {{name}} in {{environment}} opened: {{link}}',
      failed: 'Promotion of {{name}} to {{environment}} failed: {{reason}}',
      openPullRequest: 'Open pull request',
      openDowngradePullRequest: 'Open downgrade pull request',
      held: '{{environment}} cannot sync now. {{reason}}. The pull request can be reviewed and merged; {{name}} deploys it only once its sync windows allow a sync.',
      downgradeWarning:
        'This is a downgrade: {{environment}} ({{name}}) would go back from what it runs now ({{versions}}).',
      confirmChange:
        'A pull request sets {{name}} to {{version}} (now {{current}}), changing {{files}}.',
      confirmProduction:
        '{{environment}} is production: the pull request needs approval before it can be merged.',
      confirmDowngrade: 'Downgrade {{environment}}: {{versions}}',
    },
    revert: {
      title: 'Roll back {{name}} to {{revision}}',
      manualNote:
        "The revert changes Git, so the rollback stays when {{name}} is synced again. Argo CD's own rollback is offered next to this action too.",
      autoSyncNote:
        '{{name}} syncs automatically, so Argo CD refuses its own rollback (the next sync would undo it). Reverting in Git rolls back for good: Argo CD then syncs the reverted state.',
      planFailed: 'Could not plan the revert: {{reason}}',
      failed: 'Revert of {{name}} failed: {{reason}}',
      deliveryLabel: 'How to deliver the revert',
      pullRequest: 'Open a pull request to review and merge',
      directCommit:
        'Commit directly to {{branch}} (allowed in {{environment}})',
      thisEnvironment: 'this environment',
      noDelivery:
        'This repository is not on a GitHub integration, so no pull request can be opened, and {{environment}} does not allow a direct commit.',
      openPullRequest: 'Open revert pull request',
      commit: 'Commit revert',
      commitsReverted: 'Commits reverted',
      commitsLabel: 'Commits the revert of {{name}} undoes',
      diffLabel: 'Diff of the revert of {{name}}',
      diff: 'Diff',
    },
    syncWindows: {
      unreadable:
        'The sync windows of {{name}} could not be read; Argo CD checks them when you sync.',
      listLabel: 'Sync windows of {{name}}',
    },
    search: {
      environment: 'Environment',
      cluster: 'Cluster',
      tenant: 'Tenant',
      quarantined: 'Quarantined: {{versions}}',
      quarantinedTitle: 'Runs a quarantined release: {{versions}}',
    },
    ...sectionMessages,
  },
});

/** The `t` of `useTranslationRef(gitOpsTranslationRef)`, for helpers outside components. */
export type GitOpsTranslate = TranslationFunction<
  typeof gitOpsTranslationRef.T
>;
