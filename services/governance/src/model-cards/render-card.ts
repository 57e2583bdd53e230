import escapeHtml from 'escape-html';
import type { Block, CardDocument } from './card-document';

/**
 * Card text is shown literally: Markdown's punctuation is backslash-escaped (CommonMark allows it before any ASCII
 * punctuation), and a line that would start a list or a heading is escaped too.
 */
const markdownInline = (text: string) => text.replace(/[\\`*_[\]<>|#!]/g, '\\$&');

function markdownText(text: string): string {
  return markdownInline(text)
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** A table cell or list item holds one line; only a list item could start a block. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
const markdownCell = (text: string) => markdownInline(oneLine(text));

function markdownBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${markdownText(block.text)}`;
    case 'paragraph':
      return markdownText(block.text);
    case 'list':
      return block.items.map((item) => `- ${markdownText(oneLine(item))}`).join('\n');
    case 'table':
      return [
        `| ${block.head.map(markdownCell).join(' | ')} |`,
        `|${block.head.map(() => ' --- |').join('')}`,
        ...block.rows.map((row) => `| ${row.map(markdownCell).join(' | ')} |`),
      ].join('\n');
  }
}

export function renderMarkdown(doc: CardDocument): string {
  return `${[`# ${markdownText(doc.title)}`, ...doc.blocks.map(markdownBlock)].join('\n\n')}\n`;
}

const html = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}>${html(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p>${html(block.text)}</p>`;
    case 'list':
      return `<ul>${block.items.map((item) => `<li>${html(item)}</li>`).join('')}</ul>`;
    case 'table':
      return [
        '<table>',
        `<thead><tr>${block.head.map((cell) => `<th>${html(cell)}</th>`).join('')}</tr></thead>`,
        `<tbody>${block.rows.map((row) => `<tr>${row.map((cell) => `<td>${html(cell)}</td>`).join('')}</tr>`).join('')}</tbody>`,
        '</table>',
      ].join('');
  }
}

const STYLE = 'body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.4}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}';

/** A standalone page; every piece of card text is HTML-escaped, so nothing a person typed becomes markup. */
export function renderHtml(doc: CardDocument): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${html(doc.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${html(doc.title)}</h1>`,
    ...doc.blocks.map(htmlBlock),
    '</body></html>',
    '',
  ].join('\n');
}
