import { ARGOCD_FAKE_ADMIN_TOKEN } from '@kupe/plugin-gitops-node-test-utils';

/**
 * The admin bearer token the sandbox accepts (JWT-shaped, subject `admin`). SANDBOX ONLY:
 * it is published in source code, so it grants nothing outside the sandbox, whose server
 * listens on loopback only. Put it in `gitops.instances[].token` for the sandbox instance.
 */
export const SANDBOX_ADMIN_TOKEN: string = ARGOCD_FAKE_ADMIN_TOKEN;
