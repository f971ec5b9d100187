/**
 * Every change a settings page can ask for, declared once: its shape (checked
 * with valibot when the background receives it) and what it does to the user's
 * settings. Pages send an edit; only the background applies it, inside the one
 * queue every settings write goes through. 0.2.0 let the options page write the
 * whole settings object from its own copy, so a found origin the background had
 * just added was lost when the user flipped a switch.
 */
import * as v from 'valibot';
import { parseOriginInput } from './origin';
import { isAppPath } from './app-path';
import { SettingsSchema, UndoCapSchema, withAppPath, withCustomOrigin, withoutAppPath, withoutCustomOrigin, withoutFoundOrigin, type Settings } from './settings';

const Flag = v.picklist(['protectKnownPorts', 'allLoopbackPorts', 'autoProtect']);
const OriginText = v.pipe(v.string(), v.maxLength(4096));

export const SettingsEditSchema = v.variant('op', [
  v.object({ op: v.literal('flag'), key: Flag, value: v.boolean() }),
  v.object({
    op: v.literal('defaults'),
    patch: v.strictObject({ mode: v.optional(v.picklist(['revalidate', 'bypass'])), autoClear: v.optional(v.boolean()), keepSiteData: v.optional(v.boolean()) }),
  }),
  v.object({ op: v.literal('undo-cap'), mb: UndoCapSchema }),
  /**
   * Adds an origin the user typed (already normalised by the page), replacing another one when editing;
   * `path`: the app lives under that path of the origin (core/app-path).
   */
  v.object({ op: v.literal('add-origin'), origin: OriginText, replacing: v.optional(OriginText), path: v.optional(OriginText) }),
  v.object({ op: v.literal('remove-origin'), origin: OriginText }),
  v.object({ op: v.literal('remove-app-path'), origin: OriginText, path: OriginText }),
  v.object({ op: v.literal('dismiss-found'), origin: OriginText }),
  /** Import, restore defaults, restore the kept-aside copy: whole settings, checked like stored ones. */
  v.object({ op: v.literal('replace'), settings: SettingsSchema }),
]);

export type SettingsEdit = v.InferOutput<typeof SettingsEditSchema>;

export function parseSettingsEdit(raw: unknown): SettingsEdit | null {
  const result = v.safeParse(SettingsEditSchema, raw);
  return result.success ? result.output : null;
}

/** The edit applied to the settings as stored now; an origin that does not parse changes nothing. */
export function applyEdit(settings: Settings, edit: SettingsEdit): Settings {
  const origin = (raw: string) => {
    const parsed = parseOriginInput(raw);
    return parsed.ok && parsed.origin === raw ? parsed.origin : null;
  };
  switch (edit.op) {
    case 'flag':
      return { ...settings, [edit.key]: edit.value };
    case 'defaults':
      return { ...settings, defaults: { ...settings.defaults, ...edit.patch } };
    case 'undo-cap':
      return { ...settings, undoCapMb: edit.mb };
    case 'add-origin': {
      const added = origin(edit.origin);
      if (!added || (edit.path !== undefined && !isAppPath(edit.path))) return settings;
      const base = edit.replacing ? withoutCustomOrigin(settings, edit.replacing) : settings;
      let next = withCustomOrigin(base, added);
      // An edited origin keeps its apps: dropping them would widen every clear there to the whole origin.
      for (const p of edit.replacing ? (settings.appPaths[edit.replacing] ?? []) : []) next = withAppPath(next, added, p);
      return edit.path === undefined ? next : withAppPath(next, added, edit.path);
    }
    case 'remove-origin':
      return withoutCustomOrigin(settings, edit.origin);
    case 'remove-app-path': {
      // The origin's last app gone: the origin goes with it, rather than silently becoming one site whole.
      const next = withoutAppPath(settings, edit.origin, edit.path);
      return settings.appPaths[edit.origin]?.length && !next.appPaths[edit.origin] ? withoutCustomOrigin(next, edit.origin) : next;
    }
    case 'dismiss-found':
      return withoutFoundOrigin(settings, edit.origin);
    case 'replace':
      return edit.settings as Settings;
  }
}
