import type {
  Quarantine,
  QuarantinedDeployment,
} from '@kupe/plugin-gitops-common';

const userName = (ref: string) => ref.replace(/^user:(default\/)?/, '');

/** "production, staging": where a quarantined version still runs, in words. */
export function placesOf(deployments: QuarantinedDeployment[]): string {
  return [...new Set(deployments.map(d => d.environment ?? d.name))].join(', ');
}

/** "alice: crashes on start". */
export function byWhom(quarantine: Quarantine): string {
  return `${userName(quarantine.createdBy)}: ${quarantine.reason}`;
}

/** "lifted by arjun: fixed by a config change". */
export function liftedText(quarantine: Quarantine): string | undefined {
  if (quarantine.active) return undefined;
  return `lifted by ${userName(quarantine.liftedBy ?? '')}: ${
    quarantine.liftReason ?? ''
  }`;
}
