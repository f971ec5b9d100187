import { execFileSync } from 'node:child_process';

/**
 * A real key press into a headful browser window under Xvfb. Keys typed into a
 * page by a driver never reach `commands.onCommand`; X events do.
 */
export function pressShortcut(windowTitleFragment: string, keys = 'alt+shift+k', opts: { repeat?: number; delayMs?: number } = {}): void {
  const found = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--name', windowTitleFragment], { timeout: 15_000 })
    .toString()
    .trim()
    .split('\n');
  const window = found.at(-1);
  if (!window) throw new Error(`no window titled *${windowTitleFragment}*`);
  execFileSync('xdotool', ['windowfocus', '--sync', window], { timeout: 5_000 });
  const repeat = opts.repeat ?? 1;
  // --repeat sends whole key presses, like a user hammering the shortcut (or a held key's auto-repeat).
  execFileSync('xdotool', ['key', '--clearmodifiers', '--repeat', String(repeat), '--delay', String(opts.delayMs ?? 12), keys], { timeout: 5_000 + repeat * 200 });
}
