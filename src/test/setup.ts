import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, vi } from 'vitest';
import { fake, resetWorld } from './fake-extension';
import { listenForUndoPorts } from '../platform/undo-ports';

vi.mock('webextension-polyfill', () => ({ default: fake }));
// Vite's `?script` import is the extension build's business; tests inject the agent by name.
vi.mock('../platform/undo-agent-file', () => ({ UNDO_AGENT_FILE: 'assets/undo-agent.js' }));

beforeEach(() => {
  resetWorld();
  // The extension's own IndexedDB (Undo's backups), fresh for every test.
  globalThis.indexedDB = new IDBFactory();
  // Registered at the background's top level in the extension.
  listenForUndoPorts();
});
