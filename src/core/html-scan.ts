const CODE_LINK_RELS = new Set(['stylesheet', 'modulepreload', 'preload']);

/** Whether a `<link>` with these attributes loads code or styles. */
export function isCodeLink(rel: string, as: string): boolean {
  const rels = rel.toLowerCase().split(/\s+/);
  const kind = as.toLowerCase();
  return rels.some((r) => CODE_LINK_RELS.has(r)) && (!rels.includes('preload') || kind === 'script' || kind === 'style');
}

/**
 * The code URLs an HTML document loads, read the way a browser's parser reads
 * them (WHATWG HTML, 13.2.5 Tokenization and the parts of 13.2.6 Tree
 * construction that decide which tags become elements), so that they equal what
 * the content script later reads from the live DOM (`script.src`, `link.href`).
 * A false difference reads as "the page runs old code" and reloads it.
 *
 * One forward pass, O(n): `indexOf` jumps to the next `<`, quote or `--`, and no
 * position is read more than a constant number of times (a regex over tags
 * backtracks: 2 MB of unclosed `<!--` took minutes). Only the few attributes that
 * matter (src, href, rel, as) are sliced and decoded.
 *
 * Left out on purpose:
 * - the script data escape states (13.2.5.18-13.2.5.31): in a browser,
 *   `<script><!--<script></script>` does not end at the first `</script>`; here a
 *   script always ends at the first `</script`;
 * - foreign content (`<svg>`, `<math>`): their `<script>` is not raw text and a
 *   `<![CDATA[` section ends at `]]>`; here both are read as in HTML content;
 * - insertion modes that drop tags (after `<frameset>`); CSP `base-uri`.
 */

export interface HtmlScan {
  /** Absolute URLs of <script src> and of <link href> for which isCodeLink(rel, as) holds, resolved against the document base, de-duplicated, sorted. */
  assets: string[];
  /**
   * Asset URLs whose attribute value held a character reference this scanner cannot decode exactly as a browser would
   * (an unknown named reference). They are never evidence: callers drop them from comparisons. Sorted, de-duplicated;
   * a URL here is NOT also in `assets`.
   */
  uncertain: string[];
}

/** A bound on what one document can make us collect and resolve. */
const MAX_ASSETS = 20_000;

const TAB = 0x09, LF = 0x0a, FF = 0x0c, CR = 0x0d, SPACE = 0x20;
const BANG = 0x21, DQUOTE = 0x22, HASH = 0x23, SQUOTE = 0x27, DASH = 0x2d, SLASH = 0x2f;
const SEMICOLON = 0x3b, EQUALS = 0x3d, GT = 0x3e, QUESTION = 0x3f;

/** ASCII whitespace as the tokenizer sees it (CR is turned into LF by 13.2.3.5 Preprocessing the input stream). */
const isSpace = (c: number): boolean => c === SPACE || c === LF || c === TAB || c === FF || c === CR;
/** ASCII letters only; NaN (past the end) is none. */
const isAlpha = (c: number): boolean => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number): boolean => isAlpha(c) || isDigit(c);

/** The tokenizer lower-cases ASCII only (`K`, the Kelvin sign, stays). */
const asciiLower = (s: string): string => (/[A-Z]/.test(s) ? s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x20)) : s);

/**
 * Start tags after which the tree builder switches the tokenizer to RAWTEXT, RCDATA or script data (13.2.6.4.4
 * "in head", 13.2.6.4.7 "in body"; `noscript` because scripting is enabled): their content is text up to the matching
 * end tag, whatever tags it seems to hold.
 */
const RAW_TEXT = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title']);

/** The longest name in the named character references table, `CounterClockwiseContourIntegral`. */
const LONGEST_ENTITY_NAME = 31;

/**
 * Named references decoded here (13.5 Named character references), by name length: name, character, and whether it
 * is also a legacy name, decoded without a semicolon (all but `apos`).
 */
const NAMED: [string, string, boolean][][] = [
  [],
  [],
  [['lt', '<', true], ['gt', '>', true], ['LT', '<', true], ['GT', '>', true]],
  [['amp', '&', true], ['AMP', '&', true]],
  [['quot', '"', true], ['apos', "'", false], ['nbsp', '\u00a0', true], ['QUOT', '"', true]],
];

/** The character a known named reference `raw[start, end)` stands for, compared in place without slicing. */
function knownName(raw: string, start: number, end: number, semicolon: boolean): string | undefined {
  for (const [name, ch, legacy] of NAMED[end - start] ?? []) if ((semicolon || legacy) && raw.startsWith(name, start)) return ch;
  return undefined;
}

/** The legacy names a browser also decodes without a semicolon (those of 13.5 without `;`). */
const LEGACY = new Set(
  ('AElig AMP Aacute Acirc Agrave Aring Atilde Auml COPY Ccedil ETH Eacute Ecirc Egrave Euml GT Iacute Icirc Igrave Iuml LT Ntilde Oacute ' +
    'Ocirc Ograve Oslash Otilde Ouml QUOT REG THORN Uacute Ucirc Ugrave Uuml Yacute aacute acirc acute aelig agrave amp aring atilde auml ' +
    'brvbar ccedil cedil cent copy curren deg divide eacute ecirc egrave eth euml frac12 frac14 frac34 gt iacute icirc iexcl igrave iquest ' +
    'iuml laquo lt macr micro middot nbsp not ntilde oacute ocirc ograve ordf ordm oslash otilde ouml para plusmn pound quot raquo reg ' +
    'sect shy sup1 sup2 sup3 szlig thorn times uacute ucirc ugrave uml uuml yacute yen yuml').split(' '),
);

/** 13.2.5.80 Numeric character reference end state: 0x80-0x9F read as windows-1252 (0 = not in the table, kept). */
const C1_REPLACEMENTS = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

function numericCharacter(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  if (cp >= 0x80 && cp <= 0x9f && C1_REPLACEMENTS[cp - 0x80]) return String.fromCharCode(C1_REPLACEMENTS[cp - 0x80]!);
  return String.fromCodePoint(cp);
}

interface Decoded {
  value: string;
  /** A named reference this module does not know could have been decoded by a browser. */
  uncertain: boolean;
}

/**
 * An attribute value as the DOM holds it: 13.2.5.72 Character reference state with an attribute value as the return
 * state, and U+0000 as U+FFFD (the attribute value states). Quotes and the end of an unquoted value never take part
 * in a reference, so the raw value's extent is known before decoding.
 */
function decodeAttributeValue(raw: string): Decoded {
  let amp = raw.indexOf('&');
  if (amp === -1) return { value: raw.includes('\0') ? raw.replaceAll('\0', '\ufffd') : raw, uncertain: false };
  const parts: string[] = [];
  let from = 0;
  let uncertain = false;
  while (amp !== -1) {
    let next = amp + 1;
    let by: string | undefined;
    let resume = 0;
    const c = raw.charCodeAt(next);
    if (c === HASH) {
      // 13.2.5.75-13.2.5.79 Numeric character reference states: `&#` or `&#x` without digits stays as written.
      let j = next + 1;
      const hex = (raw.charCodeAt(j) | 0x20) === 0x78;
      if (hex) j++;
      const digits = j;
      let cp = 0;
      for (; j < raw.length; j++) {
        const d = raw.charCodeAt(j);
        const v = isDigit(d) ? d - 0x30 : hex && (d | 0x20) >= 0x61 && (d | 0x20) <= 0x66 ? (d | 0x20) - 0x57 : -1;
        if (v < 0) break;
        cp = Math.min(cp * (hex ? 16 : 10) + v, 0x110000);
      }
      if (j > digits) {
        if (raw.charCodeAt(j) === SEMICOLON) j++;
        by = numericCharacter(cp);
        resume = j;
      }
      next = j;
    } else if (isAlnum(c)) {
      // 13.2.5.73 Named character reference state: the longest name in the table wins, and in an attribute a legacy
      // name without `;` followed by `=` or an alphanumeric is left as written (`?a=1&lt=2`, `&ampx`).
      let end = next;
      while (end < raw.length && isAlnum(raw.charCodeAt(end))) end++;
      const after = raw.charCodeAt(end);
      if (after === SEMICOLON) {
        // `&name;` may be in the table (then `&copy;` is ©) or not (then a legacy prefix or nothing matches and it stays).
        by = knownName(raw, next, end, true);
        resume = end + 1;
        if (by === undefined && end - next <= LONGEST_ENTITY_NAME) uncertain = true;
      } else if (after !== EQUALS && end - next <= 6) {
        // A legacy name ending the run is decoded by a browser. A shorter legacy prefix (`&notit`) is followed by an
        // alphanumeric, so it stays as written.
        by = knownName(raw, next, end, false);
        resume = end;
        if (by === undefined && !uncertain && LEGACY.has(raw.slice(next, end))) uncertain = true;
      }
      next = end;
    }
    if (by !== undefined) {
      if (amp > from) parts.push(raw.slice(from, amp));
      parts.push(by);
      from = resume;
    }
    amp = raw.indexOf('&', next);
  }
  parts.push(raw.slice(from));
  const value = parts.join('');
  return { value: value.includes('\0') ? value.replaceAll('\0', '\ufffd') : value, uncertain };
}

/** The attributes of one tag that decide what it loads; the first occurrence of each wins. */
interface TagAttributes {
  name: string;
  src: string | undefined;
  href: string | undefined;
  rel: string | undefined;
  as: string | undefined;
}

/**
 * Reads one tag from its name (`start` just after `<` or `</`) to its `>`, through 13.2.5.8 Tag name state, the
 * attribute name and value states (13.2.5.32-13.2.5.39) and 13.2.5.40 Self-closing start tag state. Returns the index
 * after the `>`, or -1 when the input ends inside the tag: the spec's eof-in-tag emits nothing.
 */
function readTag(html: string, start: number, tag: TagAttributes): number {
  const n = html.length;
  let j = start;
  // 13.2.5.8 Tag name state: ends at whitespace, `/` or `>`; `<`, quotes and anything else are part of the name.
  while (j < n) {
    const c = html.charCodeAt(j);
    if (isSpace(c) || c === SLASH || c === GT) break;
    j++;
  }
  // Only short names are ones we act on; a 2 MB name is never copied.
  tag.name = j - start <= 9 ? asciiLower(html.slice(start, j)) : '';
  tag.src = tag.href = tag.rel = tag.as = undefined;
  for (;;) {
    // 13.2.5.32 Before attribute name state (also where the after-value and self-closing states lead back to).
    if (j >= n) return -1;
    let c = html.charCodeAt(j);
    if (isSpace(c)) {
      j++;
      continue;
    }
    if (c === GT) return j + 1;
    if (c === SLASH) {
      // 13.2.5.40 Self-closing start tag state: `/>` ends the tag, any other `/x` goes on to `x` as a new attribute.
      j++;
      if (j >= n) return -1;
      if (html.charCodeAt(j) === GT) return j + 1;
      continue;
    }
    // 13.2.5.33 Attribute name state: a leading `=` is part of the name, so the first character is always taken.
    const nameStart = j++;
    while (j < n) {
      c = html.charCodeAt(j);
      if (isSpace(c) || c === SLASH || c === GT || c === EQUALS) break;
      j++;
    }
    const nameEnd = j;
    // 13.2.5.34 After attribute name state.
    while (j < n && isSpace(html.charCodeAt(j))) j++;
    if (j >= n) return -1;
    // The value's extent; sliced below only for an attribute we read.
    let valueStart = j;
    let valueEnd = j;
    if (html.charCodeAt(j) === EQUALS) {
      // 13.2.5.35 Before attribute value state.
      j++;
      while (j < n && isSpace(html.charCodeAt(j))) j++;
      if (j >= n) return -1;
      c = html.charCodeAt(j);
      if (c === DQUOTE || c === SQUOTE) {
        // 13.2.5.36 / 13.2.5.37 Attribute value (double- / single-quoted) state: up to the same quote, or eof-in-tag.
        const close = html.indexOf(c === DQUOTE ? '"' : "'", j + 1);
        if (close === -1) return -1;
        valueStart = j + 1;
        valueEnd = close;
        j = close + 1;
        // 13.2.5.39 After attribute value (quoted) state: whitespace, `/`, `>` or, missing whitespace, a new attribute:
        // all of them are what the before attribute name state does with that character.
      } else if (c !== GT) {
        // 13.2.5.38 Attribute value (unquoted) state: up to whitespace or `>`; `"'<=` and backticks are part of it.
        valueStart = j;
        while (j < n) {
          c = html.charCodeAt(j);
          if (isSpace(c) || c === GT) break;
          j++;
        }
        valueEnd = j;
      }
      // `a=>`: a missing value is the empty string, and the `>` ends the tag on the next turn.
    }
    // Only the attributes we read are named; duplicates are dropped when leaving the attribute name state.
    if (nameEnd - nameStart <= 4) {
      const name = asciiLower(html.slice(nameStart, nameEnd));
      if (name === 'src') tag.src ??= html.slice(valueStart, valueEnd);
      else if (name === 'href') tag.href ??= html.slice(valueStart, valueEnd);
      else if (name === 'rel') tag.rel ??= html.slice(valueStart, valueEnd);
      else if (name === 'as') tag.as ??= html.slice(valueStart, valueEnd);
    }
  }
}

/** 13.2.5.43-13.2.5.52 Comment states, from just after `<!--`: where the comment ends, or the end of the input. */
function commentEnd(html: string, p: number): number {
  // 13.2.5.43 Comment start state and 13.2.5.44 Comment start dash state: `<!-->` and `<!--->` are whole comments.
  if (html.charCodeAt(p) === GT) return p + 1;
  if (html.charCodeAt(p) === DASH && html.charCodeAt(p + 1) === GT) return p + 2;
  // Otherwise the first `-->` or `--!>` closes it (13.2.5.51 Comment end state, 13.2.5.52 Comment end bang state);
  // the nested `<!--` states (13.2.5.46-13.2.5.49) only ever lead there through the same dashes.
  let q = p;
  for (;;) {
    q = html.indexOf('--', q);
    if (q === -1) return html.length;
    const c = html.charCodeAt(q + 2);
    if (c === GT) return q + 3;
    if (c === BANG && html.charCodeAt(q + 3) === GT) return q + 4;
    q++;
  }
}

/** 13.2.5.41 Bogus comment state (also DOCTYPE, whose states all end at the first `>`): up to `>` or the end. */
function bogusCommentEnd(html: string, p: number): number {
  const gt = html.indexOf('>', p);
  return gt === -1 ? html.length : gt + 1;
}

/**
 * 13.2.5.9-13.2.5.17 RCDATA, RAWTEXT and script data less-than sign and end tag states: the content ends at `</name`
 * (any case) followed by whitespace, `/` or `>`; `</scripts>` is text. Returns the index of that `<`, or -1: the rest is text.
 */
function rawTextEnd(html: string, from: number, name: string): number {
  let j = from;
  for (;;) {
    j = html.indexOf('</', j);
    if (j === -1) return -1;
    let k = 0;
    // `| 0x20` folds ASCII upper case only: no other code unit lands on a lower-case letter.
    while (k < name.length && (html.charCodeAt(j + 2 + k) | 0x20) === name.charCodeAt(k)) k++;
    if (k === name.length) {
      const c = html.charCodeAt(j + 2 + k);
      if (isSpace(c) || c === SLASH || c === GT) return j;
    }
    j += 2;
  }
}

/**
 * The document base URL (4.2.3 The base element, "set the frozen base URL"): the href parsed against the document's
 * URL; a failure, `data:` or `javascript:` leaves the document's URL.
 */
function frozenBaseUrl(href: string, documentUrl: string): string {
  try {
    const url = new URL(href, documentUrl);
    return url.protocol === 'data:' || url.protocol === 'javascript:' ? documentUrl : url.href;
  } catch {
    return documentUrl;
  }
}

export function scanHtml(html: string, documentUrl: string): HtmlScan {
  const n = html.length;
  const tag: TagAttributes = { name: '', src: undefined, href: undefined, rel: undefined, as: undefined };
  // Decoded reference values; a value both certain and uncertain somewhere counts as certain.
  const sure = new Set<string>();
  const unsure = new Set<string>();
  let baseHref: string | undefined;
  // Template contents are an inert DocumentFragment (4.12.3 The template element): nothing in them loads.
  let templateDepth = 0;

  const collect = (raw: string | undefined, doubt: boolean): void => {
    if (raw === undefined || sure.size + unsure.size >= MAX_ASSETS) return;
    const { value, uncertain } = decodeAttributeValue(raw);
    // An empty src or href loads nothing (4.12.1.1 "prepare the script element": the empty string fires error).
    if (value === '') return;
    if (uncertain || doubt) unsure.add(value);
    else sure.add(value);
  };

  let i = 0;
  while (i < n) {
    // 13.2.5.1 Data state: only `<` matters.
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    // 13.2.5.6 Tag open state.
    const c = html.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      const end = readTag(html, lt + 1, tag);
      if (end === -1) break;
      i = end;
      const name = tag.name;
      if (name === 'script') {
        if (templateDepth === 0) collect(tag.src, false);
      } else if (name === 'link') {
        if (templateDepth === 0 && tag.href !== undefined) {
          const rel = decodeAttributeValue(tag.rel ?? '');
          const as = decodeAttributeValue(tag.as ?? '');
          // Unsure whether it is a code link at all: unsure as an asset.
          if (isCodeLink(rel.value, as.value) || rel.uncertain || as.uncertain) collect(tag.href, rel.uncertain || as.uncertain);
        }
      } else if (name === 'base') {
        // The first base element with an href in the document, wherever it is, sets the base for every URL read after
        // parsing, including those before it.
        if (templateDepth === 0 && baseHref === undefined) baseHref = tag.href;
      } else if (name === 'template') {
        templateDepth++;
      } else if (name === 'plaintext') {
        // 13.2.5.5 PLAINTEXT state: the rest of the input is text.
        break;
      }
      if (RAW_TEXT.has(name)) {
        const close = rawTextEnd(html, i, name);
        if (close === -1) break;
        // The end tag itself is read as a tag (it may carry attributes), on the next turn.
        i = close;
      }
    } else if (c === BANG) {
      // 13.2.5.42 Markup declaration open state: `<!--` starts a comment; DOCTYPE, `[CDATA[` outside foreign content
      // and anything else end at the next `>`.
      i = html.charCodeAt(lt + 2) === DASH && html.charCodeAt(lt + 3) === DASH ? commentEnd(html, lt + 4) : bogusCommentEnd(html, lt + 2);
    } else if (c === SLASH) {
      // 13.2.5.7 End tag open state.
      const d = html.charCodeAt(lt + 2);
      if (isAlpha(d)) {
        const end = readTag(html, lt + 2, tag);
        if (end === -1) break;
        i = end;
        // A `</template>` with no open template is ignored (13.2.6.4.4 "in head").
        if (tag.name === 'template' && templateDepth > 0) templateDepth--;
      } else if (d === GT) {
        i = lt + 3;
      } else {
        i = bogusCommentEnd(html, lt + 2);
      }
    } else if (c === QUESTION) {
      i = bogusCommentEnd(html, lt + 1);
    } else {
      // `<` before anything else is text; the next character is read again in the data state.
      i = lt + 1;
    }
  }

  let base = documentUrl;
  let baseDoubt = false;
  if (baseHref !== undefined) {
    const decoded = decodeAttributeValue(baseHref);
    base = frozenBaseUrl(decoded.value, documentUrl);
    baseDoubt = decoded.uncertain;
  }
  const assets = new Set<string>();
  const uncertain = new Set<string>();
  const resolve = (value: string, into: Set<string>): void => {
    try {
      into.add(new URL(value, base).href);
    } catch {
      // An unparsable reference cannot load either; it is not part of the app.
    }
  };
  for (const value of sure) resolve(value, baseDoubt ? uncertain : assets);
  for (const value of unsure) resolve(value, uncertain);
  for (const url of assets) uncertain.delete(url);
  return { assets: [...assets].sort(), uncertain: [...uncertain].sort() };
}
