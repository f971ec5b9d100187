/**
 * The small notice a page running old code shows in a window without the
 * toolbar (see background/stale-notice): the badge and popup are not there to
 * say it. It lives in a shadow root, so the page's styles neither reach it nor
 * are touched by it; it is keyboard reachable (its buttons take focus, Escape
 * dismisses), follows the system's dark mode, asks nothing of the network, and
 * is gone with the document (a reload, a navigation).
 */
import type { NoticeText } from '../platform/tabs';

const HOST = 'stalebuster-notice';

// The host's own placement is set inline (showStaleNotice), where the page's style sheets cannot override it.
const STYLE = `
.box { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 360px; padding: 12px 14px;
  background: #fff; color: #1f2328; border: 1px solid #d0d7de; border-radius: 8px; box-shadow: 0 4px 16px rgb(0 0 0 / 20%); }
.title { font-weight: 600; margin: 0 0 4px; }
.detail { margin: 0 0 10px; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; }
button { font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #d0d7de; background: #f6f8fa; color: inherit; cursor: pointer; }
button.primary { background: #1f6feb; border-color: #1f6feb; color: #fff; }
button:focus-visible { outline: 2px solid #0969da; outline-offset: 2px; }
button:disabled { opacity: 0.6; cursor: default; }
@media (prefers-color-scheme: dark) {
  .box { background: #161b22; color: #e6edf3; border-color: #30363d; }
  button { background: #21262d; border-color: #30363d; }
}`;

/** Shown in this document already (dismissed or not): a later "runs old code" of the same document stays quiet. */
let shown = false;

/** Shows the notice once per document; `onClear` runs Clear & reload for this page. */
export function showStaleNotice(text: NoticeText, onClear: () => void): void {
  if (shown) return;
  shown = true;
  const host = document.createElement(HOST);
  // Inline and !important: the page's own style sheet cannot hide or move it (a page script still can; README).
  for (const [property, value] of [['all', 'initial'], ['position', 'fixed'], ['right', '16px'], ['bottom', '16px'], ['z-index', '2147483647'], ['display', 'block'], ['visibility', 'visible'], ['opacity', '1']]) {
    host.style.setProperty(property!, value!, 'important');
  }
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const box = document.createElement('div');
  box.className = 'box';
  box.setAttribute('role', 'status');
  box.setAttribute('aria-live', 'polite');
  const title = Object.assign(document.createElement('p'), { className: 'title', textContent: text.title });
  const detail = Object.assign(document.createElement('p'), { className: 'detail', textContent: text.detail });
  const actions = Object.assign(document.createElement('div'), { className: 'actions' });
  const button = (label: string, primary: boolean, act: () => void) => {
    const b = Object.assign(document.createElement('button'), { type: 'button', textContent: label, className: primary ? 'primary' : '' });
    // Only the user's own press: a page script's synthetic click (isTrusted false) does nothing.
    b.addEventListener('click', (event) => {
      if (event.isTrusted) act();
    });
    actions.append(b);
    return b;
  };
  const reload = button(text.reload, true, () => location.reload());
  const clear = button(text.clear, false, () => {
    reload.disabled = clear.disabled = true;
    onClear();
  });
  button(text.dismiss, false, () => host.remove());
  box.addEventListener('keydown', (event) => {
    if (event.isTrusted && event.key === 'Escape') host.remove();
  });
  box.append(title, detail, actions);
  root.append(style, box);
  document.documentElement.append(host);
}
