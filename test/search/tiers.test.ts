/** Candidate tiers: literal matches first (word-aligned ones before those cutting through words), then relevant by words. */
import { SearchEngine } from '../../src/engine';
import { doc } from '../helpers';

const engine = SearchEngine.build([
  doc('cut-1', '影评', '片方特意安排了首映礼，观众很多。'),
  doc('cut-2', '边防', '我方特勤组已经到达现场，任务顺利。'),
  doc('park', '乐园', '方特乐园今天开园，游客很多。'),
  doc('beijing', '首都', '北京今天下雨，北京的天气变凉，天气预报说明天晴转多云。'),
  doc('background', '故事', '这个故事的背景是一座小城。'),
  doc('weather', '预报', '北京天气预报说明天晴。'),
  doc('sport', '体育', '足球比赛今晚开始，球迷很多。'),
]);
const ids = (query: string): string[] => engine.search(query, { limit: 10, snippetLength: 0 }).hits.map((h) => h.id);

describe('word-aligned literal matches rank first', () => {
  test('方特 in 方特|乐园 ranks above 方特 cut through 片方|特意 and 我方|特勤', () => {
    const result = engine.search('方特');
    expect(result).toMatchObject({ match: 'exact', total: 3, exact_total: 3 });
    expect(result.hits[0].id).toBe('park');
    expect(result.hits.map((h) => h.id).sort()).toEqual(['cut-1', 'cut-2', 'park']);
    expect(result.hits.every((h) => h.literal)).toBe(true);
  });

  test('pinyin matches word-aligned occurrences only: fangte finds the park, not 片方特意', () => {
    const result = engine.search('fangte');
    expect(result.expansions?.[0]).toMatchObject({ term: 'fangte', via: 'pinyin', words: ['方特'] });
    expect(result.hits.map((h) => h.id)).toEqual(['park']);
  });

  test('homophones are ordered by how common the word is: beijing finds 北京 before 背景', () => {
    const result = engine.search('beijing');
    expect(result.expansions?.[0].words.slice(0, 2)).toEqual(['北京', '背景']);
    const order = result.hits.map((h) => h.id);
    expect(order.indexOf('background')).toBeGreaterThan(order.indexOf('beijing'));
    expect(order.indexOf('background')).toBeGreaterThan(order.indexOf('weather'));
  });
});

describe('semantics at the edges', () => {
  test('a query none of whose characters occurs finds nothing', () => {
    expect(engine.search('鑫垚淼')).toMatchObject({ total: 0, hits: [] });
    expect(engine.search('鑫垚淼犇骉羴 鱻麤')).toMatchObject({ total: 0, hits: [] });
  });

  test('a long query whose words occur never gets zero, even with words jieba makes up', () => {
    // 北京今天 occurs, 垚淼犇 nowhere: the document with 北京/今天 is found by its words.
    const result = engine.search('北京今天垚淼犇骉要去公园');
    expect(result.match).toBe('ranked');
    expect(result.total).toBeGreaterThan(0);
    expect(result.hits[0].id).toBe('beijing');
  });

  test('tiers made of a term\'s matches as they are (not copies) leave them unchanged: asked again, every answer is the same', () => {
    const queries = ['北京', '天气', '北京 天气', '很多', '很多 -足球', '多', 'title:预报', '北京今天下雨'];
    const answer = (query: string) => ({ ...engine.search(query, { limit: 10, snippetLength: 40 }), took_ms: 0 });
    const first = queries.map(answer);
    expect(first.map((r) => [r.total, r.exact_total, r.hits.map((h) => h.id)])).toEqual([
      [2, 2, ['beijing', 'weather']],
      [2, 2, ['beijing', 'weather']],
      [2, 2, ['weather', 'beijing']],
      [3, 3, ['park', 'sport', 'cut-1']],
      [2, 2, ['park', 'cut-1']],
      [4, 4, ['park', 'sport', 'cut-1', 'beijing']],
      [1, 1, ['weather']],
      [1, 1, ['beijing']],
    ]);
    expect(queries.map(answer)).toEqual(first);
  });

  test('an exclusion removing every literal match leaves none: it never triggers relaxation', () => {
    expect(engine.search('方特 -乐园 -片方 -我方')).toMatchObject({ match: 'exact', total: 0, hits: [] });
  });

  test('in ranked mode, quoted phrases, title: terms and exclusions stay hard constraints', () => {
    const phrase = engine.search('北京今天下雨 天气 "北京天气"');
    expect(phrase.match).toBe('ranked');
    expect(phrase.hits.map((h) => h.id)).toEqual(['weather']);
    const title = engine.search('title:首都 北京天气预报说明天晴');
    expect(title.hits.map((h) => h.id)).toEqual(['beijing']);
    const excluded = ids('北京天气预报说明天晴 -下雨');
    expect(excluded).toContain('weather');
    expect(excluded).not.toContain('beijing');
  });

  test('literal matches of a long query come first, related ones after, however they score', () => {
    const result = engine.search('北京天气预报说明天晴');
    expect(result).toMatchObject({ match: 'ranked', exact_total: 1 });
    expect(result.hits.map((h) => [h.id, h.literal])).toEqual([
      ['weather', true],
      ['beijing', false],
    ]);
  });

  test('short queries are unchanged by ranked mode: under 10 characters a query returns its literal matches only', () => {
    expect(engine.search('北京的天气变凉，天气预报')).toMatchObject({ match: 'ranked', exact_total: 1 });
    expect(engine.search('方特乐园今天开园')).toMatchObject({ match: 'exact', total: 1, exact_total: 1 });
  });
});
