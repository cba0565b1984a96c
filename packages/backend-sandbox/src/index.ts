/*
 * The portal backend on the embedded Argo CD sandbox: the production backend's features plus
 * the sandbox and its password-less sign-in, which run only with `gitops.sandbox.enabled` and
 * on a loopback bind. `scripts/start.sh` and the browser journeys start this entry; the
 * production backend (packages/backend) never reaches it.
 */
import { createPortalBackend } from 'backend/src/portalBackend';
import { sandboxAuthModule } from '@kupe/gitops-sandbox';

const backend = createPortalBackend();
backend.add(import('@kupe/gitops-sandbox'));
backend.add(sandboxAuthModule);
backend.start();
