import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSafeLink, renderMarkdown } from '../../actions/docs/site/markdown.ts';

test('raw HTML in a description is shown as text, never as markup', () => {
  const html = renderMarkdown('a <script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:x">y</a>');
  assert.doesNotMatch(html, /<script|<img|<a /);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('only http(s), mailto and relative links become links', () => {
  for (const bad of [
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:x',
    'data:text/html,x',
    'vbscript:x',
    'file:///etc/passwd',
    '//evil.example.com/x',
  ]) {
    assert.equal(isSafeLink(bad), false, bad);
  }
  for (const good of ['https://example.com', 'http://example.com/a?b', 'mailto:a@example.com', '#/node/model.x', 'other.html']) {
    assert.equal(isSafeLink(good), true, good);
  }
  assert.doesNotMatch(renderMarkdown('[x](javascript:alert(1)) [y](data:text/html,hi)'), /href/);
  assert.match(
    renderMarkdown('[docs](https://example.com)'),
    /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer">docs<\/a>/,
  );
});

test('images are not loaded: the site makes no request', () => {
  assert.doesNotMatch(renderMarkdown('![pixel](https://tracker.example.com/p.gif)'), /<img/);
});

test('Markdown renders: emphasis, lists, code', () => {
  assert.equal(renderMarkdown('**one** `two`\n\n- three'), '<p><strong>one</strong> <code>two</code></p>\n<ul>\n<li>three</li>\n</ul>\n');
});
