import { execFileSync } from 'node:child_process';
import { windowTitled } from './user-input';

/**
 * A real key press into a headful browser window under Xvfb. Keys typed into a
 * page by a driver never reach `commands.onCommand`; X events do.
 */
export function pressShortcut(windowTitleFragment: string, keys = 'alt+shift+k', opts: { repeat?: number; delayMs?: number } = {}): void {
  const window = windowTitled(windowTitleFragment);
  execFileSync('xdotool', ['windowfocus', '--sync', window], { timeout: 5_000 });
  const repeat = opts.repeat ?? 1;
  // --repeat sends whole key presses, like a user hammering the shortcut (or a held key's auto-repeat).
  execFileSync('xdotool', ['key', '--clearmodifiers', '--repeat', String(repeat), '--delay', String(opts.delayMs ?? 12), keys], { timeout: 5_000 + repeat * 200 });
}
