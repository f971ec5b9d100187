import { beforeEach, vi } from 'vitest';
import { fake, resetWorld } from './fake-extension';

vi.mock('webextension-polyfill', () => ({ default: fake }));

beforeEach(() => {
  resetWorld();
});
