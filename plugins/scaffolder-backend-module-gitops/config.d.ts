export interface Config {
  gitops?: {
    scaffolder?: {
      /**
       * Where `kupe:argocd-application:create` writes Applications: `argocd` (the API of the
       * chosen instance, default) or `kubernetes` (Application resources in the management
       * cluster). Pre-flight checks always read through the Argo CD API.
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
        /** Namespace of the Application resources; default `argocd`. */
        namespace?: string;
      };
    };
  };
}
