import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SearchDocument } from '../../src/document';
import { IngestError } from '../../src/errors';
import { parsePage } from '../../src/ingest';

const DEMO = path.resolve(__dirname, '../../index-data/sources/000_2cd9194f99e4ed8d.txt');
const demoText = fs.readFileSync(DEMO, 'utf8');
const demo = parsePage(demoText, { source: DEMO });
const byTitle = (title: string): SearchDocument => {
  const found = demo.find((document) => document.title === title);
  if (!found) throw new Error(`no document titled ${title}`);
  return found;
};
const body = (document: SearchDocument): string => document.paragraphs.join('\n');

/** Non-whitespace characters with their counts. */
function characterCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const char of text.replace(/\s/g, '')) counts.set(char, (counts.get(char) ?? 0) + 1);
  return counts;
}

describe('parsePage on the demo page', () => {
  it('yields 9 articles and 2 photo captions in page order', () => {
    expect(demo.map((document) => [document.kind, document.title])).toEqual([
      ['article', '二七区党建引领提高基层治理水平'],
      ['article', '“醉美夜前程”绽放经开区'],
      ['article', '汝河小区启动雨污分流改造'],
      ['article', '人人争当绿色天使'],
      ['article', '举办专题培训提高治理水平'],
      ['article', '“内外兼修”提升“六小”形象'],
      ['photo', '许昌学院“我与祖国共成长”暑期实践队'],
      ['article', '管城区为高校毕业生送岗位'],
      ['article', '花园口镇举行学习强国“答题挑战赛”'],
      ['article', '郑州方特开启暑期亲子游'],
      ['photo', '二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动'],
    ]);
  });

  it('numbers ids by the file stem and names the source by its base name, without a date', () => {
    expect(demo.map((document) => document.id)).toEqual(
      Array.from({ length: 11 }, (_, i) => `000_2cd9194f99e4ed8d-${String(i + 1).padStart(2, '0')}`),
    );
    for (const document of demo) {
      expect(document.source).toBe('000_2cd9194f99e4ed8d.txt');
      expect(document).not.toHaveProperty('date');
      expect(document).not.toHaveProperty('fields');
    }
  });

  it('reads the subtitle of the first article and no other', () => {
    expect(demo[0].subtitle).toBe('统筹推进无主管楼院改造工作');
    expect(demo.slice(1).filter((document) => 'subtitle' in document)).toEqual([]);
  });

  it.each([
    ['二七区党建引领提高基层治理水平', ['刘伟平'], ['徐克镜']],
    ['“醉美夜前程”绽放经开区', ['王译博'], ['张梦娇']],
    ['汝河小区启动雨污分流改造', ['孙志刚'], ['黄倩倩']],
    ['人人争当绿色天使', ['刘玉娟'], ['刘紫瑜']],
    ['举办专题培训提高治理水平', ['梁月琳'], ['王鹏亮']],
    ['“内外兼修”提升“六小”形象', ['王思俊'], ['李颖睿']],
    ['管城区为高校毕业生送岗位', ['王思俊'], ['姜璞']],
    ['花园口镇举行学习强国“答题挑战赛”', ['梁月琳'], ['刘雯']],
    ['郑州方特开启暑期亲子游', ['卢文军'], ['孟晶晶', '徐二伟']],
  ])('reads the byline of %s', (title, reporters, correspondents) => {
    const article = byTitle(title);
    expect(article.reporters).toEqual(reporters);
    expect(article.correspondents).toEqual(correspondents);
    expect(article.paragraphs[0]).toMatch(/^本报讯\(记者 /);
  });

  it('keeps the lead paragraph verbatim, byline included', () => {
    expect(demo[0].paragraphs[0]).toBe(
      '本报讯(记者 刘伟平 通讯员 徐克镜)为加强基层基础,做实基层治理,统筹推进老旧小区无主管楼院改造提升工作,连日来,二七区通过组建“红色指挥哨”、凝聚“红色骨干力量”、打造“红色物业联盟”等一系列务实举措,全力推进党建引领基层社会治理工作提质增效。',
    );
  });

  it('makes each photo caption a document of its own', () => {
    const photos = demo.filter((document) => document.kind === 'photo');
    expect(photos.map((photo) => photo.reporters)).toEqual([['孙志刚'], ['刘伟平']]);
    expect(photos.map((photo) => photo.correspondents)).toEqual([[], []]);
    expect(photos[0].paragraphs).toEqual([
      '昨日,许昌学院“我与祖国共成长”暑期实践队,在指导老师带领下到林山寨街道颍河路社区清洁小区环境,开展志愿服务活动。本报记者 孙志刚 摄',
    ]);
    expect(photos[1].paragraphs).toEqual([
      '近日,二七区新时代文明实践中心在西彩社区开展“健康文明社区行”志愿服务活动,把关怀送到群众身边。本报记者 刘伟平 摄',
    ]);
    for (const photo of photos) expect([...photo.title].length).toBeLessThanOrEqual(40);
  });

  it.each([
    ['二七区党建引领提高基层治理水平', '改造提升成果'],
    ['二七区党建引领提高基层治理水平', '工作方案等多项政策文件'],
    ['“醉美夜前程”绽放经开区', '夜市上,社区文化与居民文化'],
    ['汝河小区启动雨污分流改造', '然后对所有管道展开'],
    ['人人争当绿色天使', '改善人居环境宣传页'],
    ['“内外兼修”提升“六小”形象', '逐人讲解,按照'],
    ['管城区为高校毕业生送岗位', '河南省隆庆祥制衣有限公司'],
    ['花园口镇举行学习强国“答题挑战赛”', '参赛选手现场登录'],
    ['郑州方特开启暑期亲子游', '美猴王的风采'],
  ])('joins the column break in %s: %s', (title, joined) => {
    const article = byTitle(title);
    expect(article.paragraphs.some((paragraph) => paragraph.includes(joined))).toBe(true);
  });

  it('gives each article its paragraphs, breaks joined', () => {
    expect(demo.map((document) => document.paragraphs.length)).toEqual([7, 3, 3, 3, 4, 2, 1, 2, 2, 5, 1]);
  });

  it('drops the fragment 民。 that the column break printed twice', () => {
    const first = demo[0];
    expect(first.paragraphs[2].endsWith('惠及人民。')).toBe(true);
    expect(first.paragraphs[3].startsWith('二七区有效总结')).toBe(true);
    expect(demo.flatMap((document) => document.paragraphs).filter((p) => p.startsWith('民。'))).toEqual([]);
    const all = demo.map(body).join('\n');
    expect(all).not.toContain('惠及人民。二七区');
    expect(all).not.toContain('民。二七区');
    expect(all).toContain('二七区有效总结');
  });

  it('loses no character of the page but the dropped fragment', () => {
    const page = characterCounts(demoText);
    for (const char of '民。') page.set(char, (page.get(char) ?? 0) - 1);
    const printed = demo.map((document) =>
      // Photo titles are derived from the caption, not printed: only their text counts.
      document.kind === 'photo' ? body(document) : [document.title, document.subtitle ?? '', body(document)].join(''),
    );
    expect(characterCounts(printed.join(''))).toEqual(new Map([...page].filter(([, count]) => count > 0)));
  });
});

describe('parsePage on small pages', () => {
  it('handles a BOM, CRLF, full-width spaces and parentheses', () => {
    const text =
      '\uFEFF\r\n　　市场回暖　\r\n\r\n\r\n　　本报讯（记者　张三　通讯员　李四、王五）今年以来，市场持续回暖。　\r\n\r\n　　第二段说完了。\r\n\r\n' +
      '　　市民在公园里晨练，享受清晨时光。本报记者　赵六　摄\r\n';
    const documents = parsePage(text, { source: 'pages/page.txt' });
    expect(documents).toEqual([
      {
        id: 'page-01',
        title: '市场回暖',
        paragraphs: ['本报讯（记者　张三　通讯员　李四、王五）今年以来，市场持续回暖。', '第二段说完了。'],
        kind: 'article',
        reporters: ['张三'],
        correspondents: ['李四', '王五'],
        source: 'page.txt',
      },
      {
        id: 'page-02',
        title: '市民在公园里晨练，享受清晨时光',
        paragraphs: ['市民在公园里晨练，享受清晨时光。本报记者　赵六　摄'],
        kind: 'photo',
        reporters: ['赵六'],
        correspondents: [],
        source: 'page.txt',
      },
    ]);
    expect(JSON.stringify(documents)).not.toMatch(/\\r|\uFEFF/);
  });

  it('keeps text before the first headline as an article with a derived title', () => {
    const text = [
      '升成果的良性机制,二七区创新成立联盟,全面对接服务辖区,取得成效。',
      '第二段也属于上一版的文章',
      '完了。',
      '新闻标题',
      '本报讯(记者 甲乙)正文。',
    ].join('\n\n');
    const [continued, next] = parsePage(text, { source: 'p.txt' });
    expect(continued).toMatchObject({
      id: 'p-01',
      title: '升成果的良性机制,二七区创新成立联盟,全面对接服务辖区',
      paragraphs: ['升成果的良性机制,二七区创新成立联盟,全面对接服务辖区,取得成效。', '第二段也属于上一版的文章完了。'],
      reporters: [],
      correspondents: [],
      kind: 'article',
    });
    expect(continued).not.toHaveProperty('subtitle');
    expect(next).toMatchObject({ id: 'p-02', title: '新闻标题', reporters: ['甲乙'], paragraphs: ['本报讯(记者 甲乙)正文。'] });
  });

  it('does not take the tail of a broken paragraph for a title line', () => {
    const text = ['标题一', '本报讯(记者 甲)第一段,形成常态化长效保持改造提', '升成果', '标题二', '本报讯(通讯员 乙 丙 文/图)第二篇。'].join('\n\n');
    const documents = parsePage(text, { source: 'p.txt' });
    expect(documents.map((document) => [document.title, document.subtitle])).toEqual([
      ['标题一', undefined],
      ['标题二', undefined],
    ]);
    expect(documents[0].paragraphs).toEqual(['本报讯(记者 甲)第一段,形成常态化长效保持改造提升成果']);
    expect(documents[1]).toMatchObject({ reporters: [], correspondents: ['乙', '丙'] });
  });

  it('joins a paragraph broken around a photo caption', () => {
    const text = ['标题', '本报讯(记者 甲)然后对所', '大家在劳动。本报记者 乙 摄', '有管道进行清理。'].join('\n');
    const documents = parsePage(text, { source: 'p.txt' });
    expect(documents.map((document) => [document.kind, document.paragraphs])).toEqual([
      ['article', ['本报讯(记者 甲)然后对所有管道进行清理。']],
      ['photo', ['大家在劳动。本报记者 乙 摄']],
    ]);
  });

  it('opens articles at 本报讯 and 本报郑州讯 leads only', () => {
    const text = ['标题一', '本报郑州讯 正文。', '本报记者从市通讯管理局获悉,正文继续。', '标题二', '本报讯(记者 甲)正文。'].join('\n');
    const documents = parsePage(text, { source: 'p.txt' });
    expect(documents.map((document) => [document.title, document.paragraphs.length])).toEqual([
      ['标题一', 2],
      ['标题二', 1],
    ]);
  });

  it('derives a title for a lead printed without a headline', () => {
    const text = '第一篇。\n\n本报讯(记者 甲)7月3日上午,市民来到公园,参加活动。';
    expect(parsePage(text, { source: 'p.txt' })[1]).toMatchObject({ title: '市民来到公园,参加活动', reporters: ['甲'] });
  });

  it.each([
    ['2020-07-04.txt', undefined, '2020-07-04'],
    ['zb_20200704_A3.txt', undefined, '2020-07-04'],
    ['dir/zb_2020_07_04.txt', undefined, '2020-07-04'],
    ['2020-02-30.txt', undefined, undefined],
    ['000_2cd9194f99e4ed8d.txt', undefined, undefined],
    ['2020-07-04.txt', '2021-01-31', '2021-01-31'],
  ])('dates %s (option %s) as %s', (source, date, expected) => {
    const [document] = parsePage('标题\n\n本报讯(记者 甲)正文。', { source, date });
    expect(document.date).toBe(expected);
  });

  it('rejects an invalid date option', () => {
    expect(() => parsePage('正文。', { source: 'p.txt', date: '2020-7-4' })).toThrow(IngestError);
  });

  it('yields nothing for a blank page', () => {
    expect(parsePage('\uFEFF \r\n　\n\n', { source: 'p.txt' })).toEqual([]);
  });
});
