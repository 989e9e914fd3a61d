/**
 * "Did you mean" for a long (ranked) query: a replacement is suggested only when it matches
 * literally and its term occurs in more documents than the one it replaces (QueryExpander.suggest);
 * a short query's suggestions are chinese.test.ts's.
 */
import { SearchEngine } from '../../src/engine';
import { doc } from '../helpers';

const TYPO = '郑洲 地铁五号线 开通运营 市民出行更方便';
const CORRECTED = '郑州 地铁五号线 开通运营 市民出行更方便';
const NAME = '张高丽 汪洋 刘延东接受俄罗斯友谊勋章';

const documents = [
  doc('line5', '郑州地铁五号线开通运营', '郑州地铁五号线开通运营，市民出行更方便。'),
  doc('line5b', '地铁新闻', '今天郑州地铁五号线开通运营，市民出行更方便了。'),
  ...Array.from({ length: 12 }, (_, i) => doc(`zz${i}`, `郑州新闻${i}`, `郑州今天天气晴朗，第${i}条消息。`)),
  // A rare name, correct: 张高丽 in three documents, 高丽 (the name less a character) in many more, never with the rest of the headline.
  ...Array.from({ length: 3 }, (_, i) => doc(`name${i}`, `会见${i}`, `张高丽会见外宾，第${i}次。`)),
  ...Array.from({ length: 10 }, (_, i) => doc(`goryeo${i}`, `历史${i}`, `高丽王朝的历史，第${i}讲。高丽参也很有名。`)),
  ...Array.from({ length: 4 }, (_, i) => doc(`wang${i}`, `汪洋${i}`, `汪洋出席会议，刘延东接受采访，第${i}篇。`)),
  // Documents relevant by words that a looser word (高丽 weighs less than 张高丽) lets reach the share: the code before suggested 高丽参.
  ...Array.from({ length: 6 }, (_, i) => doc(`ru${i}`, `俄罗斯${i}`, `俄罗斯代表团接受邀请，第${i}次。`)),
  ...Array.from({ length: 6 }, (_, i) => doc(`fr${i}`, `友谊${i}`, `两国友谊长存，第${i}次。`)),
  ...Array.from({ length: 30 }, (_, i) => doc(`x${i}`, `其他${i}`, `今天天气晴朗，第${i}条消息。`)),
  doc('medal', '勋章', '俄罗斯友谊勋章授予外国友人。'),
];
// Its wall-clock budget raised (suggestionBudgetMs): a loaded machine could spend the default before a suggestion is found.
const PATIENT = { suggestionBudgetMs: 600_000 };
const engine = SearchEngine.build(documents, PATIENT);

describe('did you mean, long queries', () => {
  test('the queries are long (ranked)', () => {
    for (const query of [TYPO, CORRECTED, NAME]) expect(engine.search(query).match).toBe('ranked');
  });

  test('a mistyped term is corrected when the corrected query matches literally', () => {
    const result = engine.search(TYPO);
    expect(result.exact_total).toBe(0);
    expect(result.suggestion).toBe(CORRECTED);
    expect(engine.search(CORRECTED).exact_total).toBe(2);
  });

  test('a rare but correct name is not replaced by a looser word', () => {
    const result = engine.search(NAME);
    expect(result.exact_total).toBe(0);
    expect(result).not.toHaveProperty('suggestion');
  });

  test('no suggestion of a term less frequent than the one it replaces, even one that matches literally', () => {
    // The misspelling is in the archive (one document), the correct word in many: the query as typed is the better one.
    const withTypo = SearchEngine.build([...documents, doc('typo', '郑洲地铁', '郑洲地铁五号线开通运营，市民出行更方便。昨晚试运行。')], PATIENT);
    const query = '郑州 地铁五号线 开通运营 市民出行更方便 试运行';
    expect(withTypo.search(query.replace('郑州', '郑洲')).exact_total).toBe(1);
    const result = withTypo.search(query);
    expect(result.match).toBe('ranked');
    expect(result.exact_total).toBe(0);
    expect(result).not.toHaveProperty('suggestion');
  });
});
