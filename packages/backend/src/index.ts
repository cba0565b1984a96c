/*
 * The Kupe GitOps portal backend, as production runs it. It holds no sandbox and no test
 * double; `yarn start` (scripts/start.sh) runs packages/backend-sandbox, which adds the
 * embedded Argo CD sandbox and its sign-in to these same features.
 */
import { createPortalBackend } from './portalBackend';

createPortalBackend().start();
