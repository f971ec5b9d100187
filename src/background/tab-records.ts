import { parseFrameRecord, parseTabRecord, type FrameRecord, type TabRecord } from '../core/records';
import { records } from '../platform/storage';

/** What the stale detector knows about the document in each tab (session storage, one record per tab). */
export const tabRecords = records<TabRecord>('session', 'tab', parseTabRecord);

/** The same for documents in frames of a tab, keyed `<tabId>:<frameId>` (an app embedded in a page). */
export const frameRecords = records<FrameRecord>('session', 'frame', parseFrameRecord);

/** The frame records of one tab, by frame id. */
export async function framesOf(tabId: number): Promise<FrameRecord[]> {
  return [...(await frameRecords.all())].filter(([key]) => key.startsWith(`${tabId}:`)).map(([, record]) => record);
}

/** Forgets the frames of tab `tabId` (all, or those loaded before `before`: a new top document brings its own). */
export async function forgetFrames(tabId: number, before = Infinity): Promise<void> {
  for (const [key, record] of await frameRecords.all()) {
    if (key.startsWith(`${tabId}:`) && record.loadedAt < before) await frameRecords.remove(key);
  }
}
