/**
 * Side-by-side benchmark of the Kupe GitOps backend and the Roadie and community Argo CD
 * backends against the same Argo CD doubles. Run it with `yarn workspace
 * @kupe/gitops-benchmarks bench`.
 *
 * @packageDocumentation
 */

export { startArgoCdDoubles } from './argoCdDoubles';
export { startPluginBackend } from './pluginBackends';
export { viewEntity } from './entityViews';
export { runScenario } from './runScenario';
export type {
  LoadRun,
  PluginResult,
  ScenarioOptions,
  ViewResult,
  ScenarioResult,
} from './runScenario';
export { markdownReport, svgChart, verdictsOf } from './report';
export { runOpenPortal } from './openPortal';
export type { PortalResult, PortalOptions } from './openPortal';
export {
  emptyCounts,
  addCounts,
  settledMemory,
  processCpuMs,
  PLUGIN_IDS,
  VIEWS_OF,
  UPSTREAM_KINDS,
  mb,
} from './types';
export type {
  PluginId,
  ViewId,
  UpstreamKind,
  UpstreamCounts,
  ArgoInstance,
  Component,
  Memory,
  DoublesOptions,
  DoubleOptions,
  ArgoCdDoubles,
  PluginBackend,
} from './types';
