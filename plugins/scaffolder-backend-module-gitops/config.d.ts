export interface Config {
  gitops?: {
    scaffolder?: {
      /**
       * Where the `kupe:*` actions read the tenant's AppProject and registered clusters and
       * read and write Applications: `argocd` (the API of the chosen instance, default) or
       * `kubernetes` (AppProject and Application resources and cluster Secrets in the
       * management cluster's Argo CD namespace, through its API), so a platform that keeps the
       * portal away from Argo CD's API can still scaffold.
       */
      applicationTarget?: 'argocd' | 'kubernetes';
      /** The management cluster, for `applicationTarget: kubernetes`. */
      kubernetes?: {
        url: string;
        /** @visibility secret */
        token: string;
        /** Base64 PEM of the API server's CA. */
        caData?: string;
        skipTLSVerify?: boolean;
        /**
         * Argo CD's namespace, holding its AppProjects, Applications and cluster Secrets;
         * default `argocd`. The token needs get on appprojects, get/create/update/delete on
         * applications, and list on secrets there.
         */
        namespace?: string;
      };
    };
  };
}
