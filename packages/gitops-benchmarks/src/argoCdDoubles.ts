import { startArgoCdSandbox, type ArgoCdSandbox } from '@kupe/gitops-sandbox';
import { KUBERNETES_ID_LABEL, TENANT_LABEL } from '@kupe/plugin-gitops-common';
import type { ArgoCdFake } from '@kupe/plugin-gitops-node/testUtils';
import type { ArgoCdDoubles, Component, DoublesOptions } from './types';

/**
 * Keeps the fake's name-sorted application list between changes. The fake sorts every
 * application with `localeCompare` on each list request (about 100 ms at 10,000 apps on this
 * machine), where Argo CD filters its informer cache and sorts only the matches; left as is,
 * every selector listing of the peers would measure the double's sort, not the plugins.
 * Answers are unchanged: the same sorted list, rebuilt after any change, and every
 * application change goes through these three methods.
 */
function keepSortedApplicationList(fake: ArgoCdFake): void {
  const sortedList = fake.listApplications.bind(fake);
  const cache: { sorted?: ReturnType<ArgoCdFake['listApplications']> } = {};
  for (const method of [
    'putApplication',
    'updateApplication',
    'removeApplication',
  ] as const) {
    const change = (fake[method] as (...args: unknown[]) => unknown).bind(fake);
    (fake as any)[method] = (...args: unknown[]) => {
      cache.sorted = undefined;
      return change(...args);
    };
  }
  fake.listApplications = () => [...(cache.sorted ??= sortedList())];
}

/**
 * Starts one contract-true Argo CD double per instance (the sandbox's scale mode: the
 * `ArgoCdFake` seeded by `seedScale`, served over HTTP on loopback with `latencyMs` added to
 * every response). Every instance holds the same seed, as clusters of several regions would.
 * The fake records every request it answers; those records are the upstream counts.
 */
export async function startArgoCdDoubles(
  options: DoublesOptions,
): Promise<ArgoCdDoubles> {
  const sandboxes: ArgoCdSandbox[] = [];
  try {
    for (let i = 0; i < options.instances; i++) {
      sandboxes.push(
        await startArgoCdSandbox({
          port: 0,
          latencyMs: options.latencyMs,
          scale: {
            applications: options.applications,
            tenants: options.tenants,
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all(sandboxes.map(s => s.stop()));
    throw error;
  }

  // The components are what the seed labelled; counted on the first instance.
  const components = new Map<string, Component>();
  for (const app of sandboxes[0].fake.listApplications()) {
    const labels = app.metadata.labels ?? {};
    const name = labels[KUBERNETES_ID_LABEL];
    const tenant = labels[TENANT_LABEL];
    if (!name || !tenant) continue;
    const component = components.get(name) ?? {
      name,
      tenant,
      appsPerInstance: 0,
    };
    component.appsPerInstance++;
    components.set(name, component);
  }
  for (const sandbox of sandboxes) {
    keepSortedApplicationList(sandbox.fake);
    sandbox.fake.clearRequests();
  }

  return {
    instances: sandboxes.map((sandbox, i) => ({
      name: `argocd-${i + 1}`,
      url: sandbox.url,
      token: sandbox.adminToken,
    })),
    components: [...components.values()],
    async takeRequestCounts() {
      return sandboxes.map(sandbox => {
        const count = sandbox.fake.requests.length;
        sandbox.fake.clearRequests();
        return count;
      });
    },
    async stop() {
      await Promise.all(sandboxes.map(s => s.stop()));
    },
  };
}
