import type {
  Quarantine,
  QuarantinedDeployment,
} from '@kupe/plugin-gitops-common';
import type { GitOpsTranslate } from '../../translation';

const userName = (ref: string) => ref.replace(/^user:(default\/)?/, '');

/** "production, staging": where a quarantined version still runs, in words. */
export function placesOf(deployments: QuarantinedDeployment[]): string {
  return [...new Set(deployments.map(d => d.environment ?? d.name))].join(', ');
}

/** "alice: crashes on start". */
export function byWhom(t: GitOpsTranslate, quarantine: Quarantine): string {
  return t('quarantine.byWhom', {
    person: userName(quarantine.createdBy),
    reason: quarantine.reason,
  });
}

/** "2.0.0, lifted by arjun: fixed by a config change". */
export function liftedText(t: GitOpsTranslate, quarantine: Quarantine): string {
  return t('quarantine.lifted', {
    version: quarantine.version,
    person: userName(quarantine.liftedBy ?? ''),
    reason: quarantine.liftReason ?? '',
  });
}
