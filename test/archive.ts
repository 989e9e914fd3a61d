import type { SearchDocument } from '../src/document';
import { doc } from './helpers';

/** A JSON Lines record of a small archive: its category and own source in `fields`, its date when given. */
export function record(id: string, body: string, fields: Record<string, unknown>, date?: string): SearchDocument {
  return doc(id, `标题${id}`, body, { source: 'news.jsonl.gz', fields, ...(date ? { date } : {}) });
}

/**
 * Six records that all hold 新闻: categories 体育 ×2, 科技 ×2, 教育, none; sources sina ×5 and
 * cctv; dates in 2017-12, 2018-01 and 2018-03 (two on 2018-03-02), one undated.
 */
export const ARCHIVE = [
  record('r1', '第一条新闻讲女排比赛。', { category: '体育', source: 'sina' }, '2018-01-15'),
  record('r2', '第二条新闻说足球联赛。', { category: '体育', source: 'sina' }, '2018-03-02'),
  record('r3', '第三条新闻谈手机芯片。', { category: '科技', source: 'sina' }, '2018-03-20'),
  record('r4', '第四条新闻写卫星发射。', { category: '科技', source: 'sina' }),
  record('r5', '第五条新闻报高考招生。', { category: '教育', source: 'sina' }, '2017-12-31'),
  record('r6', '第六条新闻是联播节目。', { source: 'cctv' }, '2018-03-02'),
];
