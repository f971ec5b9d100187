import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHtml, declaredCharset } from './charset';

const latin1 = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('decoding the served HTML as the browser does', () => {
  it('takes the Content-Type charset first, then a <meta> in the first 1024 bytes, else UTF-8', () => {
    expect(declaredCharset('text/html; charset=ISO-8859-1', new Uint8Array())).toBe('iso-8859-1');
    expect(declaredCharset('text/html', latin1('<!doctype html><meta charset="windows-1252"><title>x</title>'))).toBe('windows-1252');
    expect(declaredCharset('text/html', latin1('<meta http-equiv="Content-Type" content="text/html; charset=shift_jis">'))).toBe('shift_jis');
    expect(declaredCharset(null, latin1(`${' '.repeat(1100)}<meta charset="koi8-r">`))).toBe('utf-8');
  });

  it('a Latin-1 page reads with its é intact', () => {
    const html = '<meta charset="iso-8859-1"><script src="/assets/café-9f8e7d6c.js"></script>';
    expect(decodeHtml(latin1(html), 'text/html')).toBe(html);
  });

  it('UTF-8 round-trips whatever the text (property), and an unknown encoding falls back to UTF-8', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => decodeHtml(new TextEncoder().encode(text), 'text/html; charset=utf-8') === text));
    expect(decodeHtml(new TextEncoder().encode('é'), 'text/html; charset=x-made-up')).toBe('é');
  });
});
