/** docmeta.jsonl rows: written and read back the same, values many rows repeat held once. */
import { DocMetaRow } from '../../src/index/data';
import { decodeDocMeta, docMetaLine } from '../../src/index/docMeta';

const rows: DocMetaRow[] = [
  ['a-1', '方特开园', 'article', [], [], 'news.jsonl', '2012-07-02', null, { source: 'cctv' }, 'f'.repeat(48)],
  ['a-2', '郑州暑期', 'photo', ['张三'], [], 'news.jsonl', null, '副题', { source: 'cctv' }, '0'.repeat(48)],
  ['a-3', '二七区', 'article', [], ['李四'], 'other.jsonl', '2013-01-01', null, null],
];

it('reads back the rows it wrote, in order', () => {
  expect(decodeDocMeta(rows.map(docMetaLine).join(''))).toEqual(rows);
  expect(decodeDocMeta('')).toEqual([]);
});

it('holds a repeated source, empty list and fields record once, frozen, for every row having it', () => {
  const [first, second, third] = decodeDocMeta(rows.map(docMetaLine).join(''));
  expect(second[8]).toBe(first[8]);
  expect(Object.isFrozen(first[8])).toBe(true);
  expect(third[3]).toBe(first[3]);
  expect(second[4]).toBe(first[4]);
  expect(Object.isFrozen(first[3])).toBe(true);
  expect(second[3]).toEqual(['张三']);
  expect(Object.isFrozen(second[3])).toBe(false);
  expect(third[8]).toBeNull();
  expect([first[5], second[5], third[5]]).toEqual(['news.jsonl', 'news.jsonl', 'other.jsonl']);
});
