import * as fs from 'node:fs';
import { escapeHtml } from '../search/snippet';
import { LANG_TAGS, Language } from './language';

/** The texts of the page's own HTML (index.html's `{{name}}` slots), in each language; what the scripts show is in public/js/messages.js. */
const PAGE_TEXTS: Record<Language, Record<string, string>> = {
  zh: {
    search_label: '搜索',
    placeholder: '输入文字，如：方特、fangte',
    suggestions_label: '搜索建议',
    search_button: '搜索',
    active_filters: '已选筛选条件',
    timeline: '时间分布',
    filters: '筛选',
    pages: '分页',
    back: '← 返回结果',
    related: '相关报道',
    noscript: '这个搜索页需要 JavaScript；JSON 接口在 /api/search?q=…',
    other_name: 'English',
  },
  en: {
    search_label: 'Search',
    placeholder: 'Type, e.g. 方特 or fangte',
    suggestions_label: 'Suggestions',
    search_button: 'Search',
    active_filters: 'Active filters',
    timeline: 'Timeline',
    filters: 'Filters',
    pages: 'Pages',
    back: '← Back to results',
    related: 'Related articles',
    noscript: 'This search page needs JavaScript; the JSON API is at /api/search?q=…',
    other_name: '中文',
  },
};

/**
 * The search page (`template`: index.html's text) in `language`, its own texts filled in,
 * `<html lang>` set, and a link to the other language. Read once per template, rendered
 * once per language.
 */
export class PageHtml {
  private readonly rendered = new Map<Language, string>();
  private template?: string;

  constructor(private readonly file: string) {}

  /** The page in `language`. */
  render(language: Language): string {
    let html = this.rendered.get(language);
    if (html === undefined) {
      this.template ??= fs.readFileSync(this.file, 'utf8');
      const other: Language = language === 'zh' ? 'en' : 'zh';
      const slots: Record<string, string> = { ...PAGE_TEXTS[language], lang: LANG_TAGS[language], other, other_tag: LANG_TAGS[other] };
      html = this.template.replace(/\{\{(\w+)\}\}/g, (_slot: string, name: string) => {
        const text = slots[name];
        if (text === undefined) throw new Error(`index.html has a slot {{${name}}} that PAGE_TEXTS does not fill`);
        return escapeHtml(text);
      });
      this.rendered.set(language, html);
    }
    return html;
  }
}
