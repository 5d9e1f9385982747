import { describe, expect, test } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('renderMarkdown: descriptions render, hostile ones inert', () => {
  test('Markdown becomes its HTML', () => {
    const html = renderMarkdown('# Plan\n\n- **bold** and [docs](https://example.com/a)');
    expect(html).toContain('<h1>Plan</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain(
      '<a href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">',
    );
  });

  test.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror="alert(1)">', '<img'],
    ['<a href="javascript:alert(1)">x</a>', '<a href="javascript'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe'],
  ])('raw HTML %s is text, not an element', (source, element) => {
    const html = renderMarkdown(source);
    expect(html).not.toContain(element);
    expect(html).toContain('&lt;');
  });

  test.each([
    '[x](javascript:alert(1))',
    '[x](JAVASCRIPT:alert(1))',
    '[x](  javascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](file:///etc/passwd)',
    '![x](javascript:alert(1))',
    '<javascript:alert(1)>',
  ])('the link %s is not a link', (source) => {
    const html = renderMarkdown(source);
    expect(html).not.toMatch(/<a |<img /);
  });

  test('mailto and relative links stay links', () => {
    expect(renderMarkdown('[mail](mailto:a@example.com)')).toContain('href="mailto:a@example.com"');
    expect(renderMarkdown('[board](/b/board-1)')).toContain('href="/b/board-1"');
  });
});
