/** Words recorded on one thread and answered from a table on another: the same words as jieba's, the fallback asked only for texts not in the table. */
import { Analyzer, WordSource } from '../../src/analysis/analyzer';
import { TableWords, recordingWords } from '../../src/analysis/wordTable';
import { demoEngine } from '../helpers';

const analyzer = new Analyzer();

it('records the words it gives, by kind, as the source gave them', () => {
  const recorder = recordingWords(analyzer.words);
  expect(recorder.words.queryWords('郑州方特欢乐世界')).toEqual(['郑州', '方特', '欢乐', '世界']);
  expect(recorder.words.searchWords('二七区')).toEqual(['二七', '七区', '二七区']);
  const words = recorder.words.queryWords('暑期');
  words.push('changed by whoever was given it');
  expect(recorder.table()).toEqual({
    query: [
      ['郑州方特欢乐世界', ['郑州', '方特', '欢乐', '世界']],
      ['暑期', ['暑期']],
    ],
    search: [['二七区', ['二七', '七区', '二七区']]],
  });
});

it('answers from its table, else from the fallback, and forgets a table given another', () => {
  const asked: string[] = [];
  const fallback: WordSource = {
    queryWords: (text) => (asked.push(`query ${text}`), ['fallback']),
    searchWords: (text) => (asked.push(`search ${text}`), ['fallback']),
  };
  const words = new TableWords(fallback);
  words.use({ query: [['郑州', ['郑州']]], search: [['二七区', ['二七', '七区', '二七区']]] });
  expect(words.queryWords('郑州')).toEqual(['郑州']);
  words.queryWords('郑州').push('changed');
  expect(words.queryWords('郑州')).toEqual(['郑州']);
  expect(words.searchWords('二七区')).toEqual(['二七', '七区', '二七区']);
  expect(words.searchWords('郑州')).toEqual(['fallback']);
  words.use(undefined);
  expect(words.queryWords('郑州')).toEqual(['fallback']);
  expect(asked).toEqual(['search 郑州', 'query 郑州']);
});

it('an analyzer given another source of words analyzes with them, under the same settings', () => {
  const recorder = recordingWords(analyzer.words);
  const borrowing = analyzer.withWords(recorder.words);
  expect(borrowing.settings).toEqual(analyzer.settings);
  expect(borrowing.analyzeField('郑州方特，暑期开放')).toEqual(analyzer.analyzeField('郑州方特，暑期开放'));
  expect(recorder.table().search).toEqual([['郑州方特,暑期开放', analyzer.searchWords('郑州方特,暑期开放')]]);
});

it('SearchEngine.wordsOfQuery records the words of every text parsing a query analyzes, none for a query that does not parse', () => {
  expect(demoEngine().wordsOfQuery('郑州方特 "暑期开放" -门票')).toEqual({
    query: [
      ['郑州方特', ['郑州', '方特']],
      ['暑期开放', ['暑期', '开放']],
      ['门票', ['门票']],
    ],
    search: [
      ['郑州方特', ['郑州', '方特']],
      ['暑期开放', ['暑期', '开放']],
      ['门票', ['门票']],
    ],
  });
  expect(demoEngine().wordsOfQuery('   ')).toEqual({ query: [], search: [] });
});
