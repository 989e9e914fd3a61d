import { MAX_MULTI_QUERY, multiQueries } from '../../src/backend/sphinx/rerank';

const counts = (n: number): string[] => Array.from({ length: n }, (_, i) => `SELECT COUNT(*) AS c${i}`);

describe('statements cut into multi-queries Sphinx accepts', () => {
  test.each([
    ['none', [], []],
    ['one', counts(1), [1]],
    ['exactly the limit', counts(MAX_MULTI_QUERY), [32]],
    ['one more than the limit', counts(MAX_MULTI_QUERY + 1), [32, 1]],
    ['a keyword look-up and 39 counts (the 40 that failed on news-large)', ['SELECT id', 'SHOW META', ...counts(38)], [32, 8]],
  ])('%s', (_name, statements, sizes) => {
    const batches = multiQueries(statements);
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batches.flat()).toEqual(statements);
  });

  test('a SHOW META stays with the statement before it', () => {
    const statements = [...counts(31), 'SELECT id', 'SHOW META', ...counts(2)];
    const batches = multiQueries(statements);
    expect(batches.map((batch) => batch.length)).toEqual([31, 4]);
    expect(batches[1].slice(0, 2)).toEqual(['SELECT id', 'SHOW META']);
  });
});
