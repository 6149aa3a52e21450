/**
 * Descriptions are Markdown written in pull requests, shown on the published site: rendered
 * with raw HTML off (a `<script>` in a description is shown as text), and links only to http(s),
 * mailto and the site's own anchors — `javascript:`, `data:`, `vbscript:` and every other scheme
 * are dropped (the link text stays, as text); images are not loaded (the site makes no request). The page's Content-Security-Policy is the second wall.
 */
import MarkdownIt from 'markdown-it';

const SAFE_LINK = /^(https?:|mailto:|#)/i;

/** True for a link target the site may render. */
export function isSafeLink(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme (`java\tscript:`): strip them first.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: exactly those characters are removed
  const plain = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (SAFE_LINK.test(plain)) return true;
  // A relative link (no scheme at all) stays on the site.
  return !/^[a-z][a-z0-9+.-]*:/i.test(plain) && !plain.startsWith('//');
}

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.validateLink = isSafeLink;
// No images: an <img> of a description would be a request leaving the site (and the CSP refuses it).
md.disable('image');
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  if (/^https?:/i.test(String(token.attrGet('href') ?? ''))) {
    token.attrSet('target', '_blank');
    token.attrSet('rel', 'noopener noreferrer');
  }
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}
