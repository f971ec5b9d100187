import type { Fingerprint } from './fingerprint';

/** First sight records a baseline; only a different id afterwards counts as an upgrade. */
export function decideOnFingerprint(stored: Pick<Fingerprint, 'id'> | undefined, current: Pick<Fingerprint, 'id'>): 'baseline' | 'same' | 'updated' {
  if (!stored) return 'baseline';
  return stored.id === current.id ? 'same' : 'updated';
}
