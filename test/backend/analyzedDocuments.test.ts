import { Analyzer } from '../../src/analysis/analyzer';
import { AnalyzedDocuments } from '../../src/backend/sphinx/rerank';
import { encodeDocument } from '../../src/backend/sphinx/rows';
import { doc } from '../helpers';

const analyzer = new Analyzer();
const [a, b, c] = [doc('a', '方特乐园', '方特乐园今天开园。'), doc('b', '郑州地铁', '郑州地铁五号线'), doc('c', '黄河', '黄河流经郑州')];

describe("the re-rank's analyzed documents", () => {
  test('analyze a document once, as the Analyzer does, and give it again while kept', () => {
    const analyzed = new AnalyzedDocuments(analyzer, 2);
    const fields = jest.spyOn(analyzer, 'analyzeField');
    const first = analyzed.get(encodeDocument(a), a);
    expect(first).toEqual({ title: analyzer.analyzeField('方特乐园'), body: analyzer.analyzeField('方特乐园今天开园。') });
    fields.mockClear();
    expect(analyzed.get(encodeDocument(a), a)).toBe(first);
    expect(fields).not.toHaveBeenCalled();
    fields.mockRestore();
  });

  test('drop the least recently used past their capacity', () => {
    const analyzed = new AnalyzedDocuments(analyzer, 2);
    const firstA = analyzed.get(encodeDocument(a), a);
    const firstB = analyzed.get(encodeDocument(b), b);
    expect(analyzed.get(encodeDocument(a), a)).toBe(firstA); // a is now the most recent
    analyzed.get(encodeDocument(c), c); // b goes
    expect(analyzed.size).toBe(2);
    expect(analyzed.get(encodeDocument(a), a)).toBe(firstA);
    expect(analyzed.get(encodeDocument(b), b)).not.toBe(firstB);
  });

  test('analyze a replaced document (same id, other text) afresh', () => {
    const analyzed = new AnalyzedDocuments(analyzer);
    const before = analyzed.get(encodeDocument(a), a);
    const replaced = { ...a, paragraphs: ['方特乐园明天闭园。'] };
    const after = analyzed.get(encodeDocument(replaced), replaced);
    expect(after).not.toBe(before);
    expect(after.body).toEqual(analyzer.analyzeField('方特乐园明天闭园。'));
  });
});
