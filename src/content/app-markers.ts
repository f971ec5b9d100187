/**
 * Title, custom elements and config scripts: the markers `detectApp`
 * (core/fingerprint) knows, as a small HTML-shaped string.
 *
 * It runs in two ways: inside the page report of a site Stalebuster may read,
 * and passed whole to `scripting.executeScript` when the popup opens on any
 * other page (the access the click grants), so it must not use anything
 * outside its own body — no imports, no module constants.
 *
 * `withConfig`: the text of inline config scripts, for the version they name.
 * Without it only their presence is told, so a Jupyter token or a Gradio
 * config never leaves a page that was read for its name alone.
 */
export function readAppMarkers(withConfig: boolean): string {
  // How much of one inline script is read: a bound on what a page can make us scan.
  const markerChars = 200_000;
  // For an offer, all of them together too: a page of ten thousand inline scripts is read up to here.
  // (The page report keeps reading them all, as it always has: its app and version come from them.)
  let budget = withConfig ? Infinity : 1_000_000;
  const parts: string[] = [];
  if (document.querySelector('gradio-app')) parts.push('<gradio-app>');
  if (document.querySelector('[data-gradio-mode]')) parts.push('data-gradio-mode');
  if (document.getElementById('comfy-user-selection')) parts.push('id=comfy-user-selection');
  const jupyter = document.getElementById('jupyter-config-data');
  // Read here for its appVersion only; its token never leaves the page.
  if (jupyter) parts.push(withConfig ? `<script id=jupyter-config-data>${(jupyter.textContent ?? '').slice(0, markerChars)}` : 'jupyter-config-data');
  for (const script of document.querySelectorAll('script:not([src])')) {
    if (budget <= 0) break;
    const text = (script.textContent ?? '').slice(0, markerChars);
    budget -= text.length;
    if (text.includes('gradio_config')) {
      parts.push(withConfig ? text : 'window.gradio_config');
      continue;
    }
    const lite = /\bLITEVER\s*=\s*\d+/.exec(text);
    if (lite) parts.push(`KoboldAI Lite ${lite[0]}`);
  }
  // The title is the page's own text (a chat's or a notebook's name): last, so it cannot stand before the
  // real config where a version is looked for, and with '<' escaped, so it cannot close itself and pose
  // as an element ("x</title><gradio-app>").
  parts.push(`<title>${document.title.slice(0, 200).replace(/</g, '&lt;')}</title>`);
  return parts.join('\n');
}
