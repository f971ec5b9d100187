import { parseTabRecord, type TabRecord } from '../core/records';
import { records } from '../platform/storage';

/** What the stale detector knows about the document in each tab (session storage, one record per tab). */
export const tabRecords = records<TabRecord>('session', 'tab', parseTabRecord);
