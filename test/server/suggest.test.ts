import { Suggester } from '../../src/server/suggest';
import { demoEngine } from '../helpers';

const texts = (suggester: Suggester, query: string, limit?: number) => suggester.suggest(query, limit).map((s) => `${s.kind}:${s.text}`);

describe('Suggester', () => {
  const suggester = new Suggester(
    ['郑州方特开启暑期亲子游', '方特梦幻王国开园', '特别方案出台', 'COVID-19 Vaccine Trial', '鄭州夜市'],
    [
      { word: '方特', df: 3 },
      { word: '郑州', df: 9 },
      { word: '方便', df: 5 },
      { word: '郑州方特', df: 1 },
      { word: 'vaccine', df: 2 },
    ],
  );

  it('puts suggestions starting with the text first, then words by frequency before titles in index order', () => {
    expect(texts(suggester, '方特')).toEqual(['word:方特', 'word:郑州方特', 'title:方特梦幻王国开园', 'title:郑州方特开启暑期亲子游']);
    expect(texts(suggester, '郑州')).toEqual(['word:郑州', 'word:郑州方特', 'title:郑州方特开启暑期亲子游', 'title:鄭州夜市']);
  });

  it('keeps only entries holding the whole text in order, not just its characters', () => {
    expect(texts(suggester, '特方')).toEqual([]);
    expect(texts(suggester, '方')).toEqual(['word:方便', 'word:方特', 'word:郑州方特', 'title:方特梦幻王国开园', 'title:郑州方特开启暑期亲子游', 'title:特别方案出台']);
  });

  it('matches normalized text: traditional characters, case, full-width forms, ignoring white space', () => {
    expect(texts(suggester, '鄭州方特')).toEqual(['word:郑州方特', 'title:郑州方特开启暑期亲子游']);
    expect(texts(suggester, 'ＶＡＣ')).toEqual(['word:vaccine', 'title:COVID-19 Vaccine Trial']);
    expect(texts(suggester, 'vid')).toEqual(['title:COVID-19 Vaccine Trial']);
    expect(texts(suggester, '郑州 方特')).toEqual(['word:郑州方特', 'title:郑州方特开启暑期亲子游']);
    expect(texts(suggester, '夜市')).toEqual(['title:鄭州夜市']);
  });

  it('returns nothing for text without letters or digits', () => {
    expect(texts(suggester, '')).toEqual([]);
    expect(texts(suggester, '  ')).toEqual([]);
    expect(texts(suggester, '“”！')).toEqual([]);
  });

  it('keeps at least half of the places for titles when enough titles match', () => {
    const words = Array.from({ length: 12 }, (_, i) => ({ word: `测试${String.fromCharCode(0x4e00 + i)}`, df: 20 - i }));
    const titles = Array.from({ length: 12 }, (_, i) => `测试标题${i}`);
    const mixed = new Suggester(titles, words);
    const found = mixed.suggest('测试');
    expect(found).toHaveLength(10);
    expect(found.filter((s) => s.kind === 'word').map((s) => s.text)).toEqual(words.slice(0, 5).map((w) => w.word));
    expect(found.filter((s) => s.kind === 'title').map((s) => s.text)).toEqual(titles.slice(0, 5));
    // With few titles, words take the other places.
    expect(new Suggester(titles.slice(0, 2), words).suggest('测试', 6).map((s) => s.kind)).toEqual(['word', 'word', 'word', 'word', 'title', 'title']);
  });

  it('offers a text once, as a word, when it is also a title', () => {
    const once = new Suggester(['方特', '方特 ', '方特乐园', '方特乐园'], [{ word: '方特', df: 2 }]);
    expect(once.suggest('方')).toEqual([{ text: '方特', kind: 'word' }, { text: '方特乐园', kind: 'title' }]);
  });

  it('is built from an engine: every title and its frequent words', () => {
    const engine = demoEngine();
    const fromEngine = Suggester.fromEngine(engine);
    expect(texts(fromEngine, '暑期')).toEqual(['word:暑期', 'title:许昌学院“我与祖国共成长”暑期实践队', 'title:郑州方特开启暑期亲子游']);
  });

  it('finds titles through the index postings exactly as a scan of every title does', () => {
    const engine = demoEngine();
    const found = Suggester.fromEngine(engine);
    const scanned = new Suggester(engine.titles(), engine.frequentWords(1e9), (text, limit) => engine.pinyinCompletions(text, limit));
    let titles = 0;
    for (const q of ['方', '郑州', '楼院', '暑期', 'fangte', 'ft', '区', '2019', 'ＶＡＣ', '郑州 方特', '特方']) {
      expect(found.suggest(q, 20)).toEqual(scanned.suggest(q, 20));
      titles += found.suggest(q, 20).filter((s) => s.kind === 'title').length;
    }
    // The comparison means something: the queries find titles.
    expect(titles).toBeGreaterThan(5);
  });

  it('accepts pinyin, pinyin being typed, and initials, saying which reading matched', () => {
    const fromEngine = Suggester.fromEngine(demoEngine());
    expect(fromEngine.suggest('fangte')).toEqual([
      { text: '方特', kind: 'word', reading: 'fang te' },
      { text: '郑州方特开启暑期亲子游', kind: 'title' },
    ]);
    expect(fromEngine.suggest('zhengzh')[0]).toEqual({ text: '郑州', kind: 'word', reading: 'zheng zhou' });
    expect(fromEngine.suggest('ft')[0]).toEqual({ text: '方特', kind: 'word', reading: 'fang te' });
    // Letters that occur literally come first.
    expect(new Suggester(['APP 下载'], [], () => [{ word: '应用', reading: 'ying yong' }]).suggest('app').map((s) => s.text)).toEqual(['APP 下载', '应用']);
  });
});
