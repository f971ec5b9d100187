import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanHtml } from './html-scan';

const DOC = 'http://h:1/app/';
const scan = (html: string, url = DOC) => scanHtml(html, url);
const assets = (html: string, url = DOC) => scan(html, url).assets;
const abs = (...paths: string[]) => paths.map((p) => new URL(p, DOC).href).sort();

describe('comments', () => {
  it('hide the tags inside them, up to --> or --!>', () => {
    expect(assets('<!-- <script src="/c.js"></script> --><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<!-- x --!><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<!-- x -- ><script src="/c.js"></script> --->')).toEqual([]);
    expect(assets('<!-- <!-- nested --><script src="/a.js"></script>')).toEqual(abs('/a.js'));
  });

  it('<!--> and <!---> are whole comments', () => {
    expect(assets('<!--><script src="/a.js"></script>-->')).toEqual(abs('/a.js'));
    expect(assets('<!---><script src="/a.js"></script>-->')).toEqual(abs('/a.js'));
    expect(assets('<!----><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<!---!><script src="/c.js"></script>')).toEqual([]);
  });

  it('an unclosed comment swallows the rest', () => {
    expect(assets('<script src="/a.js"></script><!-- <script src="/c.js"></script>')).toEqual(abs('/a.js'));
  });

  it('bogus comments and doctypes end at the first >', () => {
    expect(assets('<!doctype html><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<!DOCTYPE html PUBLIC "x>"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<! <script src="/c.js"> --><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<? <script src="/c.js"> ?><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('</ <script src="/c.js"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('</1 x<script src="/c.js"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<![CDATA[ <script src="/c.js"> ]]><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<!-x <script src="/c.js"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
  });

  it('`</>` is nothing and `<` before a non-letter is text', () => {
    expect(assets('</><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('a < b <<script src="/a.js"></script> <1')).toEqual(abs('/a.js'));
  });
});

describe('raw text and RCDATA', () => {
  it('a script ends only at </script followed by whitespace, / or >', () => {
    expect(assets('<script>var s = "<script src=/c.js>";</script><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script>a</scripts><script src="/c.js"></script>')).toEqual([]);
    expect(assets('<script>a</script1><script src="/c.js">')).toEqual([]);
    expect(assets('<script>a</SCRIPT ><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script>a</script/><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script>a</script\n><script src="/a.js"></script>')).toEqual(abs('/a.js'));
  });

  it('a script with src is itself raw text, self-closing or not', () => {
    expect(assets('<script src="/a.js"/><script src="/c.js"></script>')).toEqual(abs('/a.js'));
  });

  it('the end tag is a tag: a quoted > in it does not end it', () => {
    expect(assets('<script></script x=">"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script></script x="><script src=/c.js>"><script src="/a.js"></script>')).toEqual(abs('/a.js'));
  });

  it.each(['style', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'textarea', 'title'])('<%s> hides tags until its end tag', (name) => {
    expect(assets(`<${name}><script src="/c.js"></script></${name.toUpperCase()}><script src="/a.js"></script>`)).toEqual(abs('/a.js'));
  });

  it('an unclosed raw text element makes the rest text', () => {
    expect(assets('<script src="/a.js"></script><noscript><script src="/c.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<title>x</titl><script src="/c.js"></script>')).toEqual([]);
  });

  it('after <plaintext> everything is text', () => {
    expect(assets('<script src="/a.js"></script><plaintext></plaintext><script src="/c.js"></script>')).toEqual(abs('/a.js'));
  });

  it('other elements are not raw text', () => {
    expect(assets('<div><p>x</p><script src="/a.js"></script></div><pre><script src="/b.js"></script></pre>')).toEqual(abs('/a.js', '/b.js'));
  });
});

describe('templates', () => {
  it('nothing inside a template loads, at any depth', () => {
    const html = '<template><script src="/c1.js"></script><template><link rel=stylesheet href="/c2.css"></template>'
      + '<script src="/c3.js"></script></template><script src="/a.js"></script>';
    expect(assets(html)).toEqual(abs('/a.js'));
  });

  it('a stray </template> is ignored, and raw text inside a template still hides tags', () => {
    expect(assets('</template><script src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<template><script></template><script src="/c.js"></script></script></template><script src="/a.js"></script>')).toEqual(abs('/a.js'));
  });

  it('an unclosed template hides the rest', () => {
    expect(assets('<script src="/a.js"></script><TEMPLATE><script src="/c.js"></script>')).toEqual(abs('/a.js'));
  });
});

describe('links', () => {
  it('reports stylesheets, module preloads and script or style preloads only', () => {
    const html = `<link rel="stylesheet" href="/s.css"><link rel="MODULEPRELOAD" href="/m.js"><link rel=preload as=script href="/p.js">
<link rel=preload as=STYLE href="/p.css"><link rel=preload as=font href="/f.woff2"><link rel=icon href="/i.ico"><link href="/none.css">
<link rel="alternate stylesheet" href="/alt.css"><link rel=stylesheet>`;
    expect(assets(html)).toEqual(abs('/s.css', '/m.js', '/p.js', '/p.css', '/alt.css'));
  });
});

describe('base href', () => {
  it('applies to every URL, also those before it', () => {
    expect(assets('<script src="a.js"></script><base href="http://cdn:2/x/"><script src="b.js"></script>')).toEqual([
      'http://cdn:2/x/a.js',
      'http://cdn:2/x/b.js',
    ]);
  });

  it('is resolved against the document URL', () => {
    expect(assets('<base href="../static/"><script src="a.js"></script>')).toEqual(['http://h:1/static/a.js']);
  });

  it('only the first base with an href counts', () => {
    expect(assets('<base target=_top><base href="/one/"><base href="/two/"><script src="a.js"></script>')).toEqual(['http://h:1/one/a.js']);
  });

  it('a base in a template, a comment or a script does not count', () => {
    expect(assets('<template><base href="/t/"></template><!-- <base href="/c/"> --><script>"<base href=/s/>"</script><script src="a.js"></script>'))
      .toEqual(['http://h:1/app/a.js']);
  });

  it('an unparsable, data: or javascript: base leaves the document URL', () => {
    expect(assets('<base href="http://[bad/"><script src="a.js"></script>')).toEqual(['http://h:1/app/a.js']);
    expect(assets('<base href="data:text/html,x"><script src="a.js"></script>')).toEqual(['http://h:1/app/a.js']);
    expect(assets('<base href="javascript:void 0"><script src="a.js"></script>')).toEqual(['http://h:1/app/a.js']);
  });

  it('an empty base href is the document URL and still stops later bases', () => {
    expect(assets('<base href=""><base href="/two/"><script src="a.js"></script>')).toEqual(['http://h:1/app/a.js']);
  });
});

describe('attributes', () => {
  it('reads double-quoted, single-quoted and unquoted values', () => {
    expect(assets(`<script src="/d.js"></script><script src='/s.js'></script><script src=/u.js></script>`)).toEqual(abs('/d.js', '/s.js', '/u.js'));
    expect(assets('<script src = "/sp.js" ></script><SCRIPT SRC=/up.js></SCRIPT>')).toEqual(abs('/sp.js', '/up.js'));
  });

  it('an unquoted value ends at whitespace or >, and keeps / " \' < = `', () => {
    expect(assets('<script src=/a.js/></script>')).toEqual(abs('/a.js/'));
    expect(assets('<script src=/a"b\'c<d=e`f></script>')).toEqual(abs('/a"b\'c<d=e`f'));
  });

  it('the first of duplicate attributes wins', () => {
    expect(assets('<script src="/first.js" SRC="/second.js"></script>')).toEqual(abs('/first.js'));
    expect(assets('<link href="/a.css" rel=stylesheet rel=icon href="/b.css">')).toEqual(abs('/a.css'));
  });

  it('attribute names hold quotes and <, and a leading =', () => {
    // `x"src="/c.js"` is one attribute named `x"src`; `=src` is not `src`.
    expect(assets('<script x"src="/c.js"></script>')).toEqual([]);
    expect(assets('<script =src="/c.js"></script>')).toEqual([]);
    expect(assets('<script <src="/c.js"></script>')).toEqual([]);
    expect(assets('<script a="1"src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script/src="/a.js"></script>')).toEqual(abs('/a.js'));
    expect(assets('<script a= src="/c.js" src=/a.js></script>')).toEqual(abs('/a.js'));
  });

  it('a tag name ends only at whitespace, / or >', () => {
    expect(assets('<script"x src="/c.js"></script>')).toEqual([]);
    expect(assets('<scripts src="/c.js">')).toEqual([]);
  });

  it('a tag the input ends inside is dropped', () => {
    expect(assets('<script src="/a.js"></script><script src="/c.js"')).toEqual(abs('/a.js'));
    expect(assets('<script src="/a.js"></script><script src="/c.js>')).toEqual(abs('/a.js'));
    expect(assets('<script src="/a.js"></script><script src=/c.js')).toEqual(abs('/a.js'));
    expect(assets('<script src="/a.js"></script><script src=/c.js /')).toEqual(abs('/a.js'));
    expect(assets('<link rel=stylesheet href="/c.css" ')).toEqual([]);
  });

  it('empty and unparsable values load nothing; whitespace around a URL is the URL parser\'s', () => {
    expect(scan('<script src=""></script><script src></script><script src="http://[bad"></script>')).toEqual({ assets: [], uncertain: [] });
    expect(assets('<script src=" /a.js\n"></script>')).toEqual(abs('/a.js'));
  });

  it('a NUL in a value is U+FFFD', () => {
    expect(assets('<script src="/a\0.js"></script>')).toEqual(abs('/a\ufffd.js'));
  });

  it('end tags and attributes of other elements load nothing', () => {
    expect(assets('</script src="/c.js"><img src="/c.png"><div src="/c.js" href="/c.css" rel=stylesheet></div>')).toEqual([]);
  });
});

describe('character references', () => {
  const src = (value: string) => scan(`<script src="${value}"></script>`, 'http://h:1/');

  it('decodes numeric references, with or without ;', () => {
    expect(src('/a?x=1&#38;y=2').assets).toEqual(['http://h:1/a?x=1&y=2']);
    expect(src('/a?x=1&#x26;y=2').assets).toEqual(['http://h:1/a?x=1&y=2']);
    expect(src('/a?x=1&#X26y=2').assets).toEqual(['http://h:1/a?x=1&y=2']);
    expect(src('/a&#97&#98;').assets).toEqual(['http://h:1/aab']);
  });

  it('maps 0, surrogates and code points past U+10FFFF to U+FFFD, and 0x80-0x9F through windows-1252', () => {
    expect(src('/&#0;&#xD800;&#x110000;&#99999999999;').assets).toEqual([new URL('/\ufffd\ufffd\ufffd\ufffd', 'http://h:1/').href]);
    expect(src('/&#x80;&#x81;&#150;').assets).toEqual([new URL('/\u20ac\u0081\u2013', 'http://h:1/').href]);
  });

  it('leaves &# and &#x without digits as written', () => {
    expect(src('/a&#;b&#xg').assets).toEqual([new URL('/a&#;b&#xg', 'http://h:1/').href]);
  });

  it('decodes &amp; &lt; &gt; &quot; &apos; &nbsp;, and the legacy ones without ;', () => {
    expect(src('/a?x=1&amp;y=2').assets).toEqual(['http://h:1/a?x=1&y=2']);
    expect(src('/&lt;&gt;&quot;&apos;&nbsp;').assets).toEqual([new URL('/<>"\'\u00a0', 'http://h:1/').href]);
    expect(src('/?a&amp&lt&gt&quot&nbsp').assets).toEqual([new URL('/?a&<>"\u00a0', 'http://h:1/').href]);
    expect(src('/?a=&AMP;&LT').assets).toEqual([new URL('/?a=&<', 'http://h:1/').href]);
  });

  it('leaves a legacy reference without ; before = or an alphanumeric as written', () => {
    expect(src('/a?b=1&lt=2').assets).toEqual(['http://h:1/a?b=1&lt=2']);
    expect(src('/a?b=1&ampx=2').assets).toEqual(['http://h:1/a?b=1&ampx=2']);
    expect(src('/a?b=1&amp1').assets).toEqual(['http://h:1/a?b=1&amp1']);
  });

  it('leaves unknown references without a legacy name as written, certain', () => {
    expect(src('/a?x=1&foo=1').assets).toEqual(['http://h:1/a?x=1&foo=1']);
    expect(src('/a?x=1&foo').assets).toEqual(['http://h:1/a?x=1&foo']);
    expect(src('/a?x=&').assets).toEqual(['http://h:1/a?x=&']);
    expect(src('/a?x=& &; &-').assets).toEqual([new URL('/a?x=& &; &-', 'http://h:1/').href]);
    expect(src(`/a?${'x'.repeat(40)}&${'y'.repeat(32)};`).uncertain).toEqual([]);
  });

  it('a named reference it does not know makes the URL uncertain, never an asset', () => {
    expect(src('/a?c=&copy;')).toEqual({ assets: [], uncertain: ['http://h:1/a?c=&copy;'] });
    expect(src('/a?c=&notit;')).toEqual({ assets: [], uncertain: ['http://h:1/a?c=&notit;'] });
    expect(src('/a?c=&not')).toEqual({ assets: [], uncertain: ['http://h:1/a?c=&not'] });
    expect(src('/a?c=&copy=1').uncertain).toEqual([]);
    expect(src('/a?c=&notit').uncertain).toEqual([]);
  });

  it('an uncertain duplicate of a certain URL stays an asset', () => {
    const html = '<script src="/a.js?&copy;"></script><script src="/a.js?&amp;copy;"></script>';
    expect(scan(html, 'http://h:1/')).toEqual({ assets: ['http://h:1/a.js?&copy;'], uncertain: [] });
  });

  it('an uncertain base href makes every URL uncertain', () => {
    expect(scan('<base href="/&copy;/"><script src="a.js"></script>', 'http://h:1/')).toEqual({ assets: [], uncertain: ['http://h:1/&copy;/a.js'] });
  });

  it('an uncertain rel or as makes the link uncertain', () => {
    expect(scan('<link rel="&copy;stylesheet" href="/a.css">', 'http://h:1/')).toEqual({ assets: [], uncertain: ['http://h:1/a.css'] });
    expect(scan('<link rel="&#115;tylesheet" href="/a.css">', 'http://h:1/')).toEqual({ assets: ['http://h:1/a.css'], uncertain: [] });
  });

  it('decodes in single-quoted and unquoted values too', () => {
    expect(assets(`<script src='/a?x&amp;y'></script><script src=/b?x&#38;y></script>`, 'http://h:1/')).toEqual(['http://h:1/a?x&y', 'http://h:1/b?x&y']);
  });
});

describe('bounds', () => {
  it('collects at most 20,000 URLs', () => {
    const html = Array.from({ length: 20_005 }, (_, k) => `<script src="/${k}.js"></script>`).join('');
    expect(assets(html)).toHaveLength(20_000);
  });

  it('an invalid document URL yields nothing rather than throwing', () => {
    const html = '<base href="http://x/"><script src="a.js"></script><script src="http://y/b.js"></script>';
    expect(scan(html, 'not a url')).toEqual({ assets: [], uncertain: [] });
  });
});

/** Attribute values rich in what a tokenizer can trip on. */
const valueChar = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom('&', '<', '>', '"', "'", '=', ';', '#', 'x', '/', '?', ' ', '-', '!', '\t', '\n', '\r') },
  { weight: 2, arbitrary: fc.constantFrom('amp', 'lt', 'gt', 'quot', 'nbsp', 'not', 'copy', 'notin', 'AMP', '#38', '#x26', 'a1', '0') },
);
const attributeValue = fc.string({ unit: valueChar, maxLength: 30 }).map((v) => v.replaceAll('\0', ''));
const BASE = 'http://h:1/dir/page?q#f';

const resolved = (v: string): string | null => {
  if (v === '') return null;
  try {
    return new URL(v, BASE).href;
  } catch {
    return null;
  }
};

describe('properties', () => {
  it('an attribute-escaped value reads back exactly as the URL it names', () => {
    const escape = (v: string) => v.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
    fc.assert(
      fc.property(attributeValue, (v) => {
        const want = resolved(v);
        expect(scanHtml(`<script src="${escape(v)}"></script>`, BASE)).toEqual({ assets: want === null ? [] : [want], uncertain: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('a value written as numeric references reads back exactly', () => {
    // U+0000 and 0x80-0x9F do not round-trip by design (U+FFFD, windows-1252); they have their own examples.
    const codePoints = fc.array(
      fc.oneof(fc.integer({ min: 1, max: 0x7f }), fc.integer({ min: 0xa0, max: 0xd7ff }), fc.integer({ min: 0xe000, max: 0x10ffff })),
      { maxLength: 20 },
    );
    const style = fc.array(fc.record({ hex: fc.boolean(), upper: fc.boolean(), semicolon: fc.boolean(), zeros: fc.nat(3) }), { minLength: 20, maxLength: 20 });
    fc.assert(
      fc.property(codePoints, style, (cps, styles) => {
        const v = String.fromCodePoint(...cps);
        const html = cps
          .map((cp, k) => {
            const s = styles[k]!;
            const digits = s.hex ? cp.toString(16) : String(cp);
            return `&#${s.hex ? (s.upper ? 'X' : 'x') : ''}${'0'.repeat(s.zeros)}${s.upper ? digits.toUpperCase() : digits}${s.semicolon ? ';' : ''}`;
          })
          .join('');
        const want = resolved(v);
        expect(scanHtml(`<script src="${html}"></script>`, BASE)).toEqual({ assets: want === null ? [] : [want], uncertain: [] });
      }),
      { numRuns: 500 },
    );
  });

  it('inert junk between real tags never changes the assets', () => {
    const path = fc.constantFrom('/a.js', 'b.js?v=1', '../c.css', 'https://cdn/x.js', './d.js#f', '/e.css?x&y');
    const real = fc.oneof(
      path.map((p) => `<script src="${p.replaceAll('&', '&amp;')}"></script>`),
      path.map((p) => `<link rel=stylesheet href='${p}'>`),
      path.map((p) => `<link rel="modulepreload" href=${p}>`),
    );
    const text = fc.string({ unit: valueChar, maxLength: 40 });
    const junk = fc.oneof(
      text.filter((t) => !t.includes('<')),
      text.filter((t) => !t.includes('--') && !t.startsWith('>') && !t.startsWith('->') && !t.endsWith('-')).map((t) => `<!--${t}-->`),
      text.filter((t) => !/<\/script|<!--/i.test(t)).map((t) => `<script>${t}</script>`),
      text.filter((t) => !/<\/style/i.test(t)).map((t) => `<style>${t}</style>`),
      text.filter((t) => !t.includes('>')).map((t) => `<!${t.startsWith('--') ? 'x' : ''}${t}>`),
      fc.constantFrom('<div>', '</div>', '<p class="x>y">', '<br/>', '<!doctype html>', '</p>', '<img src="/i.png">'),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(real, fc.array(junk, { maxLength: 3 })), { maxLength: 8 }), (parts) => {
        const clean = parts.map(([tag]) => tag).join('');
        const noisy = parts.map(([tag, noise]) => noise.join('') + tag).join('') + '<!-- trailing';
        expect(scanHtml(noisy, BASE)).toEqual(scanHtml(clean, BASE));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and keeps assets sorted and apart from uncertain URLs', () => {
    const unit = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('<', '!', '-', '/', '"', "'", '=', '&', '>', ' ', '#', ';', '?') },
      { weight: 2, arbitrary: fc.constantFrom('script', 'link', 'base', 'template', 'src', 'href', 'rel', 'stylesheet', 'title', 'plaintext', 'amp', 'copy') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 3000, size: 'large' }), (html) => {
        const { assets: found, uncertain } = scanHtml(html, BASE);
        expect([...found].sort()).toEqual(found);
        expect(found.filter((u) => uncertain.includes(u))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Inputs that made the regexes backtrack (261 s for 2 MB of `<!--`). A quadratic
 * regression shows as a test timeout; nothing is timed here. Each takes tens of
 * milliseconds; the 30 s allowance is for a machine busy with other test files.
 */
describe('hostile inputs', { timeout: 30_000 }, () => {
  const MB2 = 2 * 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB2 / unit.length));

  it('2 MB of unclosed <!--', () => {
    expect(scan(`<script src="/a.js"></script>${fill('<!--')}<script src="/c.js"></script>`)).toEqual({ assets: abs('/a.js'), uncertain: [] });
  });

  it('2 MB of <script ', () => {
    expect(scan(fill('<script '))).toEqual({ assets: [], uncertain: [] });
  });

  it('one tag with 100,000 attributes', () => {
    const attrs = Array.from({ length: 100_000 }, (_, k) => `a${k}="${k}"`).join(' ');
    expect(assets(`<script ${attrs} src="/a.js" ${attrs}></script>`)).toEqual(abs('/a.js'));
  });

  it('an attribute quote never closed over 2 MB', () => {
    expect(scan(`<script src="/a.js"></script><a b="${fill('x')}`)).toEqual({ assets: abs('/a.js'), uncertain: [] });
  });

  it('2 MB of <', () => {
    expect(scan(fill('<'))).toEqual({ assets: [], uncertain: [] });
  });

  it('2 MB of near-miss end tags in a script, of dashes in a comment, of references in a value', () => {
    expect(assets(`<script>${fill('</scrip')}</script><script src="/a.js"></script>`)).toEqual(abs('/a.js'));
    expect(assets(`<!--${fill('-- -!')}--><script src="/a.js"></script>`)).toEqual(abs('/a.js'));
    expect(assets(`<script src="/a.js?${fill('&amp&#38;&#x&')}"></script>`)).toHaveLength(1);
    expect(assets(`<script src="/a.js?&${fill('a')};"></script>`)).toHaveLength(1);
  });
});
