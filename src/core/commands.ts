/**
 * Every request the background answers, declared once: its name, the shape of
 * the request (a valibot schema, checked when it arrives; the handler's type is
 * the schema's output), the type of the answer, and who may send it. Adding a
 * command is one entry here and its handler (background/handlers.ts, or the
 * content handlers in background/index.ts): the compiler asks for the handler,
 * and platform/message-handlers refuses anything not declared, malformed, or
 * from a sender the entry does not name.
 *
 * Extension pages import the types only (`import type`): the popup, which only
 * sends, carries none of the schemas.
 */
import * as v from 'valibot';
import { isAppPath } from './app-path';
import type { ClearResult } from './clear-report';
import { APP_NAMES } from './fingerprint';
import type { PopupState, ProtectOffer, TabStatus, UndoResult, VersionCheck, WriteError } from './messages';
import { parseSignal } from './page-signals';
import { SettingsEditSchema } from './settings-edits';
import { parsePageReport, type Verdict } from './staleness';

/**
 * Who may send a command. `extension-page`: this extension's own pages (popup,
 * options), never a content script or another extension. `content-script`: our
 * content script in a tab's top frame (what it asks concerns that tab only);
 * `content-script-in-any-frame`: also from a frame (a page report of an
 * embedded app, judged and shown, never acted on).
 */
type Sender = 'extension-page' | 'content-script' | 'content-script-in-any-frame';

interface Command<S extends v.GenericSchema, R, F extends Sender = Sender> {
  from: F;
  request: S;
  /** The answer's type only; never set. */
  readonly answer?: [R];
}
/** `command<Answer>()(from, requestSchema)`: the answer's type given, the request's inferred. */
const command =
  <R>() =>
  <S extends v.GenericSchema, F extends Sender>(from: F, request: S): Command<S, R, F> => ({ from, request });

/** A shape an existing reader checks (page reports, signals): null from it is a malformed request. */
function readBy<T>(read: (raw: unknown) => T | null) {
  return v.pipe(
    v.unknown(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const value = read(dataset.value);
      if (value === null) {
        addIssue({ message: 'malformed' });
        return NEVER;
      }
      return value;
    }),
  );
}

const TabId = v.pipe(v.number(), v.integer(), v.minValue(0));
const OriginText = v.pipe(v.string(), v.maxLength(4096));
const DocId = v.pipe(v.string(), v.regex(/^[\w-]{8,64}$/));

/** Only known options, each of its own type: a change from a page is data, never a blank cheque. */
const SiteChangeSchema = v.variant('kind', [
  v.object({ kind: v.literal('protect'), on: v.boolean() }),
  v.object({ kind: v.literal('add-app'), path: v.pipe(v.string(), v.check(isAppPath, 'not an app path')) }),
  v.object({
    kind: v.literal('options'),
    // exactOptional: a key may be left out, never sent as undefined (Firefox keeps undefined keys in a message;
    // withSiteOptions would read one as "back to the default").
    patch: v.strictObject({
      protect: v.exactOptional(v.boolean()),
      autoClear: v.exactOptional(v.boolean()),
      keepSiteData: v.exactOptional(v.boolean()),
      includeCookies: v.exactOptional(v.boolean()),
      autoClearSiteData: v.exactOptional(v.boolean()),
      clearShared: v.exactOptional(v.boolean()),
      mode: v.exactOptional(v.picklist(['revalidate', 'bypass'])),
    }),
  }),
]);
export type SiteChange = v.InferOutput<typeof SiteChangeSchema>;

/** Extension pages → background. */
const UI_COMMANDS = {
  'clear-tab': command<ClearResult>()('extension-page', v.object({
    tabId: TabId, withoutUndo: v.optional(v.boolean(), false), keepSiteData: v.optional(v.boolean(), false),
  })),
  /** Puts a backup back (in that tab when it shows the site). */
  undo: command<UndoResult>()('extension-page', v.object({ snapshotId: v.pipe(v.string(), v.maxLength(100)), tabId: v.optional(TabId) })),
  /** The popup's way out of a rendering error: forget the site's stored report and version (its options stay). */
  'forget-site': command<{ ok: true }>()('extension-page', v.object({ origin: OriginText })),
  /** "Delete backups now": every backup of every site. */
  'delete-backups': command<{ ok: true }>()('extension-page', v.object({ all: v.literal(true) })),
  'tab-status': command<TabStatus>()('extension-page', v.object({ tabId: TabId })),
  /** `path`: the tab is in an app under that path (TabStatus.appPath). */
  'check-version': command<VersionCheck>()('extension-page', v.object({ origin: OriginText, path: v.optional(v.pipe(v.string(), v.maxLength(4096))) })),
  /** Asks the server afresh whether the tab's page runs its current code. */
  'check-tab': command<Verdict | null>()('extension-page', v.object({ tabId: TabId })),
  /** Everything the popup shows, validated and read in one go (the popup carries no schema code). */
  'popup-state': command<PopupState>()('extension-page', v.object({ tabId: TabId })),
  /** One site's protection or options, changed from the popup; refused, with the reason, if it cannot be enforced or saved. */
  'set-site': command<{ ok: true } | { ok: false; error: WriteError }>()('extension-page', v.object({ origin: OriginText, change: SiteChangeSchema })),
  /** A change to the user's settings from the options page (core/settings-edits): the background applies it. */
  'edit-settings': command<{ ok: true } | { ok: false; error: WriteError }>()('extension-page', v.object({ edit: SettingsEditSchema })),
  /** The kept-aside copy of settings (a rollback, damage): dismiss the notice, delete it, or restore it. */
  'settings-aside': command<{ ok: true } | { ok: false; reason: 'newer' | 'damaged' | 'missing' | 'not-saved' }>()('extension-page', v.object({ action: v.picklist(['dismiss', 'delete', 'restore']) })),
  /** "Resume automatic fixes" on a site Stalebuster paused (core/auto-guard). */
  'resume-auto': command<{ ok: true }>()('extension-page', v.object({ origin: OriginText })),
  /**
   * The popup opened on a site that is not protected: is the page a known AI tool
   * (read in the page with the access the click grants)? Null when it is not, or cannot be read.
   */
  'protect-offer': command<ProtectOffer | null>()('extension-page', v.object({ tabId: TabId })),
  /**
   * "Protect it" on a site whose access the popup is asking the browser for: the
   * background protects it when the grant arrives, whether or not the popup is
   * still open (Chromium closes it for the prompt). `cancel`: the browser said no.
   */
  'protect-on-grant': command<{ ok: true } | { ok: false; error: WriteError }>()('extension-page', v.object({ origin: OriginText, cancel: v.optional(v.literal(true)) })),
} as const;

/**
 * Content script → background: what the page in this tab loaded (see
 * content/page-report), and what happens in it. The background takes the tab
 * and the origin from the sender, never from the message.
 */
const CONTENT_COMMANDS = {
  /** The answer says whether the page should reload: only a history return that runs old code does. */
  'page-report': command<{ reload: boolean }>()('content-script-in-any-frame', readBy((raw) => parsePageReport(raw, (kind) => Object.hasOwn(APP_NAMES, kind)))),
  /** A sign that the open page's code may be out of date (core/page-signals): checked at most once per window. */
  'page-signal': command<void>()('content-script', readBy(parseSignal)),
  /** Clear & reload pressed in the in-page notice of this document (content/stale-notice). */
  'notice-clear': command<void>()('content-script', v.object({ docId: DocId })),
} as const;

type Table<F extends Sender> = Readonly<Record<string, Command<v.GenericSchema, unknown, F>>>;
type RequestIn<C> = C extends Command<infer S, unknown, Sender> ? v.InferOutput<S> : never;
type SentAs<C> = C extends Command<infer S, unknown, Sender> ? v.InferInput<S> : never;
type AnswerOf<C> = C extends { readonly answer?: [infer R] } ? R : never;

export type MessageType = keyof typeof UI_COMMANDS;
/** What a page sends (defaults may be left out). */
export type SendOf<T extends MessageType> = SentAs<(typeof UI_COMMANDS)[T]>;
/** What the handler receives: checked, defaults filled in, unknown keys gone. */
export type RequestOf<T extends MessageType> = RequestIn<(typeof UI_COMMANDS)[T]>;
export type ResponseOf<T extends MessageType> = AnswerOf<(typeof UI_COMMANDS)[T]>;
export type UiMessage = { [T in MessageType]: { type: T } & RequestOf<T> }[MessageType];

export type ContentType = keyof typeof CONTENT_COMMANDS;
export type ContentRequestOf<T extends ContentType> = RequestIn<(typeof CONTENT_COMMANDS)[T]>;
export type ContentResponseOf<T extends ContentType> = AnswerOf<(typeof CONTENT_COMMANDS)[T]>;
export type ContentMessage = { [T in ContentType]: { type: T } & ContentRequestOf<T> }[ContentType];

function parseIn<M, F extends Sender>(table: Table<F>, raw: unknown): { message: M; from: F } | null {
  if (!raw || typeof raw !== 'object') return null;
  const type = (raw as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) return null;
  const declared = table[type]!;
  const parsed = v.safeParse(declared.request, raw);
  if (!parsed.success) return null;
  return { message: { ...(parsed.output as object), type } as M, from: declared.from };
}

/** A message for the background's page handlers, checked against its declaration, with who may send it; null for anything else. */
export function parseUiMessage(raw: unknown): { message: UiMessage; from: 'extension-page' } | null {
  return parseIn<UiMessage, 'extension-page'>(UI_COMMANDS, raw);
}

/** A message for the background's content handlers, checked against its declaration, with who may send it; null for anything else. */
export function parseContentMessage(raw: unknown): { message: ContentMessage; from: 'content-script' | 'content-script-in-any-frame' } | null {
  return parseIn<ContentMessage, 'content-script' | 'content-script-in-any-frame'>(CONTENT_COMMANDS, raw);
}
