/**
 * The page's HTML decoded as the browser decodes it. `Response.text()` always
 * decodes UTF-8, so a page declared in another encoding (`<meta
 * charset="iso-8859-1">` before a `café-….js`) read differently from the DOM and
 * looked like it ran old code. The declared encoding is taken as the browser
 * takes it: the Content-Type header first, else a `<meta>` in the first 1024
 * bytes (HTML's "prescan"), else UTF-8.
 */
export function declaredCharset(contentType: string | null, head: Uint8Array): string {
  const fromHeader = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  if (fromHeader) return fromHeader.toLowerCase();
  let ascii = '';
  for (let i = 0; i < Math.min(head.length, 1024); i++) ascii += String.fromCharCode(head[i]!);
  const fromMeta = /<meta[^>]*?charset\s*=\s*["']?([\w.:-]+)/i.exec(ascii)?.[1];
  return (fromMeta ?? 'utf-8').toLowerCase();
}

export function decodeHtml(bytes: Uint8Array, contentType: string | null): string {
  const charset = declaredCharset(contentType, bytes);
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    // An encoding TextDecoder does not know: read as UTF-8, as before.
    return new TextDecoder().decode(bytes);
  }
}
