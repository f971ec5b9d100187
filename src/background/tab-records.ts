import { MAX_FRAMES_PER_TAB, type FrameRecord } from '../core/records';
import { records } from '../platform/storage';
import { STORED_ITEMS } from '../core/stored-items';

/** What the stale detector knows about the document in each tab (session storage, one record per tab). */
export const tabRecords = records(STORED_ITEMS.tab);

/**
 * The same for documents in frames (an app embedded in a page): one record per
 * tab, by frame id, so a page load reads one key to forget its tab's old frames.
 */
export const tabFrames = records(STORED_ITEMS.frames);

/** The frame records of one tab. */
export async function framesOf(tabId: number): Promise<FrameRecord[]> {
  return Object.values((await tabFrames.get(tabId)) ?? {});
}

/**
 * Keeps the verdict of frame `frameId` of tab `tabId` for `record`'s document,
 * unless a newer document has taken that frame meanwhile. The most recent
 * MAX_FRAMES_PER_TAB frames of a tab are kept.
 */
export async function keepFrame(tabId: number, frameId: number, record: FrameRecord): Promise<void> {
  await tabFrames.update(tabId, (frames = {}) => {
    const now = frames[frameId];
    if (now && now.docId !== record.docId) return frames;
    const next: Record<string, FrameRecord> = { ...frames, [frameId]: record };
    const newest = Object.entries(next).sort(([, a], [, b]) => b.reportedAt - a.reportedAt).slice(0, MAX_FRAMES_PER_TAB);
    return Object.fromEntries(newest);
  });
}

/** Forgets the frames of tab `tabId` (all, or those loaded before `before`: a new top document brings its own). */
export async function forgetFrames(tabId: number, before = Infinity): Promise<void> {
  const frames = await tabFrames.get(tabId);
  if (!frames) return;
  const kept = Object.entries(frames).filter(([, f]) => f.loadedAt >= before);
  if (kept.length === Object.keys(frames).length) return;
  if (kept.length === 0) await tabFrames.remove(tabId);
  else await tabFrames.set(tabId, Object.fromEntries(kept));
}
