/**
 * What only a user's own hand does, done with real X input into a headful
 * browser under Xvfb: open the toolbar popup (which grants the extension
 * activeTab on that tab) and answer the browser's permission prompt. Scripted
 * calls (`action.openPopup()`, a driver's click) grant neither.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The X window whose title contains `fragment` (the newest, if several), once it is visible. */
export function windowTitled(fragment: string): string {
  const found = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--name', fragment], { timeout: 15_000 }).toString().trim().split('\n');
  const window = found.at(-1);
  if (!window) throw new Error(`no window titled *${fragment}*`);
  return window;
}

/** Keys to whichever window has the focus now (a browser's own dialog takes it). */
export function pressKeys(...keys: string[]): void {
  for (const key of keys) execFileSync('xdotool', ['key', '--clearmodifiers', key], { timeout: 5_000 });
}

/**
 * A real click on the extension's toolbar button in Firefox ESR's default
 * layout, where the manifest's `default_area: navbar` puts it: second from
 * the right of the navigation bar, left of the menu button.
 */
export function clickFirefoxToolbarButton(windowTitleFragment: string): void {
  const window = windowTitled(windowTitleFragment);
  execFileSync('xdotool', ['windowfocus', '--sync', window], { timeout: 5_000 });
  const geometry = execFileSync('xdotool', ['getwindowgeometry', '--shell', window]).toString();
  const width = Number(/WIDTH=(\d+)/.exec(geometry)?.[1]);
  const x = Number(/X=(\d+)/.exec(geometry)?.[1] ?? 0);
  const y = Number(/Y=(\d+)/.exec(geometry)?.[1] ?? 0);
  // No --sync: it waits for the pointer to move, and it may already be there from an earlier click.
  execFileSync('xdotool', ['mousemove', String(x + width - 62), String(y + 64), 'click', '1'], { timeout: 5_000 });
}

/** The whole screen as it is now (to tell later that something changed). */
export function screenNow(): Buffer {
  const file = join(tmpdir(), `stalebuster-screen-${process.pid}.png`);
  try {
    execFileSync('scrot', ['--overwrite', file], { timeout: 10_000 });
    return readFileSync(file);
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Waits until the screen differs from `before` and then holds still for one
 * more look: a browser dialog that fades in takes keys only once it is there.
 */
export async function untilScreenSettles(before: Buffer, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = screenNow();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    const next = screenNow();
    if (next.equals(last) && !next.equals(before)) return;
    last = next;
  }
  throw new Error('the screen did not change and settle (no dialog appeared?)');
}
