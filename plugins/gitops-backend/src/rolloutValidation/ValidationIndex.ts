import type {
  IndexChange,
  InstanceIndex,
} from '../applicationIndex/InstanceIndex';

/** The part of `ApplicationIndex` validation reads; tests script it directly. */
export interface ValidationIndex {
  instances(): string[];
  instance(
    name: string,
  ): Pick<InstanceIndex, 'candidates' | 'freshness' | 'get'>;
  /** `change` names the apps that changed; without it, anything on `instance` may have. */
  subscribe(
    listener: (instance: string, change?: IndexChange) => void,
  ): () => void;
}
