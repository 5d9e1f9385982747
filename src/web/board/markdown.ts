import MarkdownIt from 'markdown-it';

/**
 * Card descriptions in Markdown, rendered by markdown-it with raw HTML off: `<script>` and
 * `<img onerror>` come out as text. Links keep only http(s) and mailto — markdown-it's own check
 * already refuses `javascript:`, `vbscript:`, `file:` and most `data:`, and this allowlist also turns
 * away what a later scheme might add. Wekan and Restyaboard shipped XSS in exactly this place.
 */
const SAFE_LINK = /^(https?:|mailto:|#|\/(?!\/))/i;

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });
markdown.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());

// Links open elsewhere, and give the page they open no handle back on this one.
const renderToken = markdown.renderer.renderToken.bind(markdown.renderer);
markdown.renderer.rules.link_open = (tokens, index, options) => {
  const token = tokens[index]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return renderToken(tokens, index, options);
};

/** The description as HTML that holds no element or attribute the author wrote themselves. */
export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
