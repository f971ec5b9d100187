import { describe, expect, it, vi } from 'vitest';
import { local } from '../platform/storage';
import { MAX_FINGERPRINTS, storeFingerprint } from './version-check';

describe('stored versions', () => {
  it(`keep the ${MAX_FINGERPRINTS} most recently checked sites, not every site ever seen`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (let i = 0; i < MAX_FINGERPRINTS + 5; i++) {
        vi.setSystemTime(1_800_000_000_000 + i * 1000);
        await storeFingerprint(`http://gpu-${i}.lab:7860`, { id: `f${i}`, app: 'gradio', version: '5.0.0', assetCount: 1 });
      }
    } finally {
      vi.useRealTimers();
    }
    const kept = Object.keys((await local.get('fingerprints')) ?? {});
    expect(kept).toHaveLength(MAX_FINGERPRINTS);
    expect(kept).not.toContain('http://gpu-0.lab:7860');
    expect(kept).toContain(`http://gpu-${MAX_FINGERPRINTS + 4}.lab:7860`);
  });
});
