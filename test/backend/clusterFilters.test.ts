import { UnsupportedQueryError } from '../../src/errors';
import { clusterFilters } from '../../src/backend/sphinx/query';

describe('what a Sphinx/Manticore cluster can filter and sort by', () => {
  test('the built-in fields and one day pass, the query’s own filters after the options’', () => {
    expect(clusterFilters({ filters: [{ field: 'reporter', value: '孙志刚' }] }, [{ field: 'date', value: '2018-05-18' }])).toEqual([
      { field: 'reporter', value: '孙志刚' },
      { field: 'date', value: '2018-05-18' },
    ]);
    expect(clusterFilters({ sort: 'relevance' }, [])).toEqual([]);
  });

  test.each([
    ['sort by date', { sort: 'newest' as const }, [], 'sort', 'A Sphinx/Manticore cluster cannot sort by date (sort=newest) yet: search an index directory (--index) for that.'],
    ['a timeline', { timeline: true }, [], 'timeline', 'A Sphinx/Manticore cluster cannot count a timeline yet: search an index directory (--index) for that.'],
    ['named facets', { facetFields: ['category'] }, [], 'facet', 'A Sphinx/Manticore cluster cannot count facets of named fields (category) yet (it counts kind, reporter, source, date): search an index directory (--index) for that.'],
    ['a record field', {}, [{ field: 'category', value: '体育' }], 'filter', 'A Sphinx/Manticore cluster cannot filter by the record field "category" yet (only by kind, reporter, correspondent, source, date): search an index directory (--index) for that.'],
    ['a month', { filters: [{ field: 'date', value: '2018-05' }] }, [], 'filter', 'A Sphinx/Manticore cluster cannot filter by a year, month or date range (date:2018-05) yet (give one day, e.g. date:2018-05-18): search an index directory (--index) for that.'],
  ])('refuses %s with UnsupportedQueryError naming the option', (_name, options, query, option, message) => {
    let thrown: unknown;
    try {
      clusterFilters(options, query);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedQueryError);
    expect((thrown as UnsupportedQueryError).option).toBe(option);
    expect((thrown as Error).message).toBe(message);
  });
});
