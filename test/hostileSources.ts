import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_PAGE } from './helpers';

/** Characters in the 1 MB single-line paragraph (jieba and the snippet builder must cope with it). */
export const HUGE_PARAGRAPH = 1_000_000;
/** Past the index's limit of 2,097,151 normalized units: rejected with a message. */
export const TOO_LONG = 2_200_000;

/** A record of the hostile JSON Lines file. */
interface Hostile {
  id: string;
  title: string;
  body: string;
}

/** Documents built to break ingestion, indexing, snippets or the page; each holds 方特 so that one search meets them all. */
export const HOSTILE: Hostile[] = [
  { id: 'script', title: '<script>window.__pwned=1</script>方特标题', body: '前文<img src=x onerror="window.__pwned=1"> 方特 </mark><mark>未闭合 <b>粗体 <!-- 注释 --> <![CDATA[x]]>' },
  { id: 'entities', title: '&lt;script&gt;方特&amp;', body: '实体 &amp;lt; &nbsp; &#x3C;script&#x3E; &#0; &#xD800; 方特 &unknown;' },
  { id: 'zero-width', title: '零\u200B宽\uFEFF方特', body: '方\u200B特 郑\u200D州 \u202E倒过来的文字\u202C 正常\u2066隔离\u2069 \u00AD软连字符' },
  { id: 'nul', title: '空\u0000字符方特', body: '前\u0000后 方特\u0000乐园 \u0001\u0007\u001B[31m红色\u001B[0m' },
  { id: 'surrogates', title: '半个\uD800代理方特', body: '\uDC00孤立的\uD83D低位 😀 完整 方特 \uDBFF' },
  { id: 'huge', title: '一百万字的段落方特', body: `${'郑州方特梦幻王国abc123，'.repeat(Math.ceil(HUGE_PARAGRAPH / 15))}结尾方特` },
  { id: 'too-long', title: '太长了', body: '长'.repeat(TOO_LONG) },
];

/**
 * Writes, into `dir`, sources that try to break indexing and the page: hostile.jsonl
 * (script tags, HTML entities, zero-width and direction characters, NUL bytes, lone
 * surrogates, a 1 MB single-line paragraph, a document over the size limit, and a line
 * that is not UTF-8), a GBK page that is not UTF-8 either, and the demo page as the
 * well-behaved neighbours. Returns the line of hostile.jsonl that is not UTF-8.
 */
export function writeHostileSources(dir: string): number {
  fs.mkdirSync(dir, { recursive: true });
  const lines = HOSTILE.map((record) => Buffer.from(JSON.stringify(record), 'utf8'));
  // A record with a byte that is not UTF-8 (\xff) in the middle of its body.
  lines.splice(3, 0, Buffer.concat([Buffer.from('{"id":"latin1","title":"坏","body":"caf'), Buffer.from([0xe9, 0xff]), Buffer.from(' 方特"}')]));
  fs.writeFileSync(path.join(dir, 'hostile.jsonl'), Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')])));
  // 方特 in GBK.
  fs.writeFileSync(path.join(dir, 'gbk.txt'), Buffer.from([0xb7, 0xbd, 0xcc, 0xd8, 0x0a]));
  fs.copyFileSync(DEMO_PAGE, path.join(dir, 'page.txt'));
  return 4;
}
