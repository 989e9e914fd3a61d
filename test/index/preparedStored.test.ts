import { docMetaLine, docMetaRow } from '../../src/index/docMeta';
import { storedText } from '../../src/index/docStore';
import { fingerprintHex } from '../../src/index/fingerprint';
import { PreparedBatchWriter, PreparedDocument, unpackBatch } from '../../src/index/prepared';
import { packStored, storedParts, unpackStored } from '../../src/index/preparedStored';
import { Analyzer } from '../../src/analysis/analyzer';
import { SearchDocument, bodyText, titleText } from '../../src/document';
import { doc } from '../helpers';

// Lone surrogates, an emoji (a pair), ASCII, CJK, fields and a date: what could make the stored bytes differ.
const documents: SearchDocument[] = [
  doc('a', '北京今天下雨', '第一段\n第二段 with ASCII'),
  doc('b', 'lone \ud800 surrogate', 'and \udc00 another, an emoji 😀 and "quotes" \\ backslash', { date: '2020-07-04', fields: { 来源: 'cctv', n: '1' } }),
  doc('c', '', '只有正文', { subtitle: '副标题', reporters: ['记者甲'], correspondents: ['通讯员乙'] }),
];

function prepare(docs: SearchDocument[]): PreparedDocument[] {
  const analyzer = new Analyzer();
  const writer = new PreparedBatchWriter();
  for (const d of docs) writer.add(analyzer.analyzeField(titleText(d)), analyzer.analyzeField(bodyText(d)));
  return unpackBatch(writer.finish());
}

describe('preparedStored', () => {
  const prepared = prepare(documents);
  const encoder = new TextEncoder();

  it('makes the bytes the builder made on the main thread: storedText of the UTF-8 JSON, the docmeta line, the UTF-8 length', () => {
    documents.forEach((d, i) => {
      const json = encoder.encode(JSON.stringify(d));
      const parts = storedParts(d, prepared[i]);
      expect(Buffer.from(parts.text).equals(Buffer.from(storedText(json)))).toBe(true);
      expect(Buffer.from(parts.meta).toString('utf8')).toBe(docMetaLine(docMetaRow(d, fingerprintHex(prepared[i].ints, 9))));
      expect(parts.jsonBytes).toBe(json.byteLength);
    });
    expect(storedParts(documents[1], prepared[1]).jsonBytes).toBe(encoder.encode(JSON.stringify(documents[1])).byteLength);
    expect(Buffer.from(storedParts(documents[0], prepared[0]).text).toString('utf16le')).toBe(JSON.stringify(documents[0]));
  });

  it('packs a batch and unpacks it into the same parts, in order', () => {
    const unpacked = unpackStored(packStored(documents, prepared));
    expect(unpacked.length).toBe(3);
    unpacked.forEach((parts, i) => {
      const one = storedParts(documents[i], prepared[i]);
      expect([Buffer.from(parts.text).equals(Buffer.from(one.text)), Buffer.from(parts.meta).equals(Buffer.from(one.meta)), parts.jsonBytes]).toEqual([true, true, one.jsonBytes]);
    });
  });
});
