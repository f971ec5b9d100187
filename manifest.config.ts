import { defineManifest } from '@crxjs/vite-plugin';
import pkg from './package.json' with { type: 'json' };
import { LOOPBACK_HOST_PATTERNS } from './src/core/permissions.ts';

export type Target = 'chrome' | 'firefox';

/** Gecko id used for AMO, for policies (policies.json names it) and for the Firefox e2e tests. */
export const GECKO_ID = 'stalebuster@stalebuster.dev';

/**
 * The public half of a key pair, so the unpacked Chromium build always gets the
 * same id (djmdeakhdjnjhoickhdifdodellnmcle) and a policy can name it. Only the
 * public key is here; the Chrome Web Store assigns its own id to the store
 * build, whose archive leaves this out (scripts/package.ts).
 */
const CHROME_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvmJr+h1K/74+6avnWL/91mcEI4LsS1dGTS/dKT6gdwzp0LSb1F6Ap10vs5g/FTCILp7lCgTNGCpF3jJSGf+UY2nxEOK1vmxnzhxQQdNLhI35Msa7xcvtX0IjdVrjpHymrmuhQ/h1z+n+BBzah8nzrVZ8OZENUnDwUjDH+DtFNtMqt0B/gaeJIr/eu3+pJqd2sMRbjAAvqRbQOIq70S7ReH0LdvMNcxU9UvPtkCjXcj09cOIY1dGBjcW4SgalpeBl1Go4Rwk34laf1DukjRBvW/teayVZg9k+/MQ023QolHOm5RnZdiA3k2KxC0L66gQDWIYW3SICASQgiWxsFnTMbQIDAQAB';
export const CHROME_ID = 'djmdeakhdjnjhoickhdifdodellnmcle';

export function manifestFor(target: Target) {
  const background =
    target === 'firefox'
      ? { scripts: ['src/background/index.ts'], type: 'module' as const }
      : { service_worker: 'src/background/index.ts', type: 'module' as const };

  return defineManifest({
    manifest_version: 3,
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    version: pkg.version,
    icons: {
      16: 'icons/icon-16.png',
      32: 'icons/icon-32.png',
      48: 'icons/icon-48.png',
      128: 'icons/icon-128.png',
    },
    action: {
      default_popup: 'src/popup/index.html',
      default_title: '__MSG_actionTitle__',
      default_icon: {
        16: 'icons/icon-16.png',
        32: 'icons/icon-32.png',
      },
      // Firefox: the button on the toolbar, not inside the extensions menu (Chromium ignores the key).
      ...(target === 'firefox' ? { default_area: 'navbar' as const } : {}),
    },
    options_ui: { page: 'src/options/index.html', open_in_tab: true },
    background,
    permissions: [
      // Header rewriting for protected origins; "WithHostAccess" needs no install warning.
      'declarativeNetRequestWithHostAccess',
      'storage',
      'browsingData',
      'scripting',
      'activeTab',
      'contextMenus',
      'notifications',
      'alarms',
    ],
    host_permissions: [...LOOPBACK_HOST_PATTERNS],
    content_scripts: [
      {
        // The stale detector's eyes: which code files the page loaded (and a few tool markers), once per load.
        // `.iife.ts`: built as one classic script, so it really runs at document_start (no async loader).
        matches: [...LOOPBACK_HOST_PATTERNS],
        js: ['src/content/page-report.iife.ts'],
        run_at: 'document_start',
        // An app embedded in a frame (a Gradio app in an iframe, gradio#7106) is judged in its frame.
        all_frames: true,
      },
    ],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    commands: {
      // Opens the popup from the keyboard; like a click on the button, it lets Stalebuster read the tab (activeTab).
      _execute_action: { suggested_key: { default: 'Alt+Shift+S' } },
      'clear-and-reload': {
        // Alt+Shift+R is not bound by Linux Chromium; Alt+Shift+K is, in both browsers.
        suggested_key: { default: 'Alt+Shift+K' },
        description: '__MSG_commandClearAndReload__',
      },
    },
    ...(target === 'firefox'
      ? {
          // Firefox's default MV3 policy for extension pages is "script-src 'self'; upgrade-insecure-requests;"
          // (pref extensions.webextensions.default-content-security-policy.v3): the background's own check of a
          // tool on the LAN (http://gpu-box.local:8188) went out as https:// and failed. Loopback is exempt
          // from the upgrade, which is why it never showed there. Scripts stay 'self' only.
          content_security_policy: { extension_pages: "script-src 'self'" },
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // 140: first ESR that reads data_collection_permissions; has DNR modifyHeaders,
              // optional_host_permissions and scripting.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            // No gecko_android: Firefox for Android is not tested (README, "Platforms").
          },
        }
      : {
          // Messages structured-clone, as in Firefox: Undo's Blobs travel by reference. Before, they went back to
          // the page as base64 through JSON messages, 5 s of a 50 MB Undo (npm run bench). Chromium 148+
          // (developer.chrome.com/blog/structured-clone-messaging); an older one would ignore the key.
          minimum_chrome_version: '148',
          message_serialization: 'structured_clone',
          key: CHROME_KEY,
          // What an organisation may set by policy (Chromium checks values against it; see core/managed).
          storage: { managed_schema: 'managed-schema.json' },
        }),
  });
}
