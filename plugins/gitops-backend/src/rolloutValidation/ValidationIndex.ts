import type { InstanceIndex } from '../applicationIndex/InstanceIndex';

/** The part of `ApplicationIndex` validation reads; tests script it directly. */
export interface ValidationIndex {
  instances(): string[];
  instance(name: string): Pick<InstanceIndex, 'candidates' | 'freshness'>;
  subscribe(listener: (instance: string) => void): () => void;
}
