import { lunrJieba } from '../../scripts/bench/engines/lunr';
import { doc } from '../helpers';

const DOCS = [
  doc('a', '长江大桥通车', '南京市长江大桥今天通车了，c++ 和 e-mail 的爱好者都来了。'),
  doc('b', '上海天气', '今天上海下雨，北京晴天。'),
  doc('c', '北京新闻', '北京今天举办马拉松比赛，上海选手获得冠军。'),
];

describe('the lunr-jieba bench engine', () => {
  const engine = lunrJieba.create();
  beforeAll(() => engine.build(DOCS));

  test('matches jieba words, all of them for matchAll, any of them for rank', () => {
    expect(engine.matchAll('长江大桥')).toEqual([0]);
    expect(engine.matchAll('北京 上海').sort()).toEqual([1, 2]);
    expect(engine.matchAll('北京 马拉松')).toEqual([2]);
    expect(engine.rank('马拉松 下雨', 10).sort()).toEqual([1, 2]);
    expect(engine.rank('北京 上海 马拉松', 1)).toEqual([2]);
  });

  test('query syntax in user text is searched as text, never thrown', () => {
    expect(engine.matchAll('c++')).toEqual([0]);
    expect(engine.matchAll('北京^3 -上海')).toEqual([]);
    expect(engine.rank('title:北京~2 *', 10).sort()).toEqual([1, 2]);
    expect(engine.rank('+-:^~\\*', 10)).toEqual([]);
  });

  test('a stop word alone finds nothing, and does not hide the other terms', () => {
    expect(engine.matchAll('的')).toEqual([]);
    expect(engine.matchAll('的 马拉松')).toEqual([2]);
  });
});
