import { bodyText, titleText } from '../../src/document';
import { jiebaTerms } from '../../scripts/bench/engines/jieba';
import { cutWithOffsets } from '../../scripts/bench/queries';
import { readCorpus } from '../../scripts/bench/corpus';
import { NEWS_DEV } from '../../scripts/known-item';
import {
  CLAUSE_MAX,
  CLAUSE_MIN,
  EvalQuery,
  KEYWORD_MAX_DF,
  KEYWORD_MIN_DF,
  buildEvalSets,
  fnv1a,
  leadClauses,
  questionSet,
  readQuestions,
  removeOneWord,
  splitOf,
  topKeywords,
} from '../../scripts/eval/sets';
import { doc } from '../helpers';

/** A small corpus: distinct stories that share some words, one headline used twice, one body copied, one title blank. */
const DOCS = [
  doc('n1', '北京发布大风蓝色预警', '今天上午，北京市气象台发布了大风蓝色预警信号。预计明天白天有阵风七到八级，请市民注意防范高空坠物。气象台提醒，大风天气外出要远离广告牌。'),
  doc('n2', '上海进口博览会开幕', '首届中国国际进口博览会在上海国家会展中心隆重开幕，来自一百多个国家的企业参展。博览会期间，参展企业签订了大量采购订单，上海市民踊跃参观。'),
  doc('n3', '大熊猫在成都基地产下双胞胎', '成都大熊猫繁育研究基地传来喜讯，一只大熊猫顺利产下双胞胎幼崽。饲养员介绍，两只幼崽体重正常，目前由熊猫妈妈精心照料。'),
  doc('n4', '故宫博物院推出夜场参观', '故宫博物院首次在元宵节推出夜场参观活动，游客可以在灯光下欣赏紫禁城的古建筑。博物院表示，夜场门票需要提前在网上预约。'),
  doc('n5', '航天员完成出舱任务', '神舟飞船的两名航天员今天顺利完成出舱任务，在舱外安装了新的实验设备。航天员表示，他们会继续在空间站开展科学实验。'),
  doc('n6', '北京发布大风蓝色预警', '受冷空气影响，河北北部出现大风降温天气，气象部门发布预警。专家提醒，大风天气要注意防范，出门记得添加衣物。'),
  doc('n7', '成都熊猫基地游客爆满', '国庆假期，成都大熊猫繁育研究基地游客爆满，不少游客为了看一眼熊猫幼崽排队两个小时。基地建议游客错峰参观，避开上午的高峰。'),
  doc('n8', '转载：航天员出舱', '神舟飞船的两名航天员今天顺利完成出舱任务，在舱外安装了新的实验设备。航天员表示，他们会继续在空间站开展科学实验。'),
  doc('n9', '', '这是一篇没有标题的短讯，记录了博览会期间上海地铁客流创下新高的消息，地铁公司增开了多趟列车。'),
  doc('n10', '夜游故宫一票难求', '元宵节夜场门票开售不到一分钟就被抢光，很多游客没有抢到故宫博物院夜场门票。故宫提醒游客，不要从黄牛手中购买门票。'),
];

const ALL = { sample: 100, seed: 7, questions: [{ id: 'n3', question: '成都的大熊猫生了几只幼崽？' }] };

function byId(id: string) {
  const found = DOCS.find((d) => d.id === id);
  if (!found) throw new Error(`no document ${id}`);
  return found;
}

describe('evaluation sets', () => {
  const sets = buildEvalSets(DOCS, ALL);

  test('FNV-1a and the split it decides', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    expect(splitOf('a')).toBe('tune');
    expect(splitOf('b')).toBe('test');
    const all = Object.values(sets).flat() as EvalQuery[];
    expect(all.length).toBeGreaterThan(0);
    for (const q of all) expect(q.split).toBe(fnv1a(q.targetId) % 2 === 0 ? 'tune' : 'test');
  });

  test('the same corpus and seed give the same sets', () => {
    expect(buildEvalSets(DOCS, ALL)).toEqual(sets);
  });

  test('the sample caps each split', () => {
    const few = buildEvalSets(DOCS, { ...ALL, sample: 1, sets: ['headline', 'clause'] });
    for (const q of [...few.headline!, ...few.clause!]) expect(q.split).toBe(splitOf(q.targetId));
    for (const split of ['tune', 'test']) {
      expect(few.headline!.filter((q) => q.split === split).length).toBeLessThanOrEqual(1);
      expect(few.clause!.filter((q) => q.split === split).length).toBeLessThanOrEqual(1);
    }
    expect(few.headline!.length).toBe(2);
  });

  test('headlines: each title heading exactly one document, none blank; the titled set asks the same', () => {
    const targets = sets.headline!.map((q) => q.targetId).sort();
    expect(targets).toEqual(['n10', 'n2', 'n3', 'n4', 'n5', 'n7', 'n8']);
    for (const q of sets.headline!) expect(q.query).toBe(byId(q.targetId).title);
    expect(sets['headline-titled']).toEqual(sets.headline);
  });

  test('lead clauses are cut at punctuation and kept at 10–30 characters', () => {
    expect(leadClauses(DOCS[0])).toEqual(['北京市气象台发布了大风蓝色预警信号', '预计明天白天有阵风七到八级', '请市民注意防范高空坠物', '大风天气外出要远离广告牌']);
    const long = doc('long', '', `${'很长的一段新闻导语用来凑字数'.repeat(21)}，后面的这一句话超出了导语范围。`);
    expect(leadClauses(long)).toEqual([]);
  });

  test('one inner word of two or more letters is removed', () => {
    expect(removeOneWord('我们今天在北京大学参观了图书馆', () => 0)).toBe('我们在北京大学参观了图书馆');
    expect(removeOneWord('我们今天在北京大学参观了图书馆', () => 0.99)).toBe('我们今天在北京大学了图书馆');
    expect(removeOneWord('他说了', () => 0)).toBeUndefined();
  });

  test('clauses: from the target lead, found in no other document, 10–30 characters before one inner word was removed', () => {
    const clauses = sets.clause!;
    expect(clauses.length).toBeGreaterThanOrEqual(5);
    // n5 and n8 share a body: neither is a target.
    expect(clauses.map((q) => q.targetId)).not.toContain('n5');
    expect(clauses.map((q) => q.targetId)).not.toContain('n8');
    for (const q of clauses) {
      const target = byId(q.targetId);
      const source = leadClauses(target).filter((clause) => {
        const cut = clause.length - q.query.length;
        if (cut < 2) return false;
        for (let at = 1; at + cut < clause.length; at++) {
          if (clause.slice(0, at) + clause.slice(at + cut) !== q.query) continue;
          const words = cutWithOffsets(clause)!;
          const i = words.findIndex((w) => w.start === at && w.word.length === cut);
          if (i > 0 && i < words.length - 1) return true;
        }
        return false;
      });
      expect(source.length).toBeGreaterThan(0);
      for (const clause of source) {
        expect(clause.length).toBeGreaterThanOrEqual(CLAUSE_MIN);
        expect(clause.length).toBeLessThanOrEqual(CLAUSE_MAX);
        expect(titleText(target)).not.toContain(clause);
        for (const other of DOCS) if (other !== target) expect(`${titleText(other)}\n${bodyText(other)}`).not.toContain(clause);
      }
    }
  });

  test('keywords: the highest tf·idf within the document-frequency band', () => {
    const counts = new Map([
      ['甲乙', 3],
      ['丙丁', 1],
      ['戊己', 5],
      ['庚辛', 2],
    ]);
    const df = new Map([
      ['甲乙', 2],
      ['丙丁', 10],
      ['戊己', 1],
      ['庚辛', 60],
    ]);
    expect(topKeywords(counts, df, 100, 3)).toEqual(['甲乙', '丙丁']);
    expect(topKeywords(counts, df, 100, 1)).toEqual(['甲乙']);
  });

  test('keywords: two or three Han words of the target, each in 2–50 documents', () => {
    const words = DOCS.map((d) => new Set(jiebaTerms(`${titleText(d)}\n${bodyText(d)}`)));
    expect(sets.keywords!.length).toBeGreaterThanOrEqual(3);
    for (const q of sets.keywords!) {
      const terms = q.query.split(' ');
      expect(terms.length).toBeGreaterThanOrEqual(2);
      expect(terms.length).toBeLessThanOrEqual(3);
      const target = DOCS.findIndex((d) => d.id === q.targetId);
      for (const term of terms) {
        expect(term).toMatch(/^\p{Script=Han}{2,}$/u);
        expect(words[target].has(term)).toBe(true);
        const df = words.filter((w) => w.has(term)).length;
        expect(df).toBeGreaterThanOrEqual(KEYWORD_MIN_DF);
        expect(df).toBeLessThanOrEqual(KEYWORD_MAX_DF);
      }
    }
  });

  test('questions: asked as written, split by their article; an unknown article is an error', () => {
    expect(sets.questions).toEqual([{ query: '成都的大熊猫生了几只幼崽？', targetId: 'n3', split: splitOf('n3') }]);
    expect(() => questionSet(DOCS, [{ id: 'nope', question: '谁？' }])).toThrow('questions about articles not in the corpus: nope');
  });
});

describe('the questions fixture', () => {
  test('parses, has at least 100 questions about distinct news-dev articles from both splits', async () => {
    const questions = readQuestions();
    expect(questions.length).toBeGreaterThanOrEqual(100);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
    const { docs } = await readCorpus(NEWS_DEV);
    const ids = new Set(docs.map((d) => d.id));
    expect(questions.filter((q) => !ids.has(q.id))).toEqual([]);
    const tune = questions.filter((q) => splitOf(q.id) === 'tune').length;
    expect(tune).toBe(questions.length / 2);
    for (const q of questions) expect(q.question).toMatch(/\p{Script=Han}.*[？?]$/u);
  });
});
