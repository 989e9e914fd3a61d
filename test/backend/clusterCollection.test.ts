import { RowDataPacket } from 'mysql2/promise';
import { ClusterCollection, RunStatements } from '../../src/backend/sphinx/rerank';
import { BackendError } from '../../src/errors';

/** A head that answers the collection's scan with `rows` (or fails with `error`), recording each statement. */
function fakeHead(answers: Array<{ n: number; t: number; b: number } | Error>): { run: RunStatements; statements: string[] } {
  const statements: string[] = [];
  const run: RunStatements = async (batch) => {
    statements.push(...batch);
    const answer = answers[Math.min(statements.length, answers.length) - 1];
    if (answer instanceof Error) throw answer;
    return [[answer as unknown as RowDataPacket]];
  };
  return { run, statements };
}

describe("the cluster's document count and field lengths", () => {
  test('are counted once with one scan and reused until renewed', async () => {
    const head = fakeHead([{ n: 4, t: 10, b: 600 }, { n: 5, t: 15, b: 1000 }]);
    const collection = new ClusterCollection('jiansuo', head.run);
    expect(await collection.get()).toEqual({ documentCount: 4, avgTitleWords: 2.5, avgBodyWords: 150 });
    expect(await collection.get()).toEqual({ documentCount: 4, avgTitleWords: 2.5, avgBodyWords: 150 });
    expect(head.statements).toEqual(['SELECT COUNT(*) AS n, SUM(tlen) AS t, SUM(blen) AS b FROM jiansuo']);
    collection.renew();
    expect(await collection.get()).toEqual({ documentCount: 5, avgTitleWords: 3, avgBodyWords: 200 });
    expect(head.statements).toHaveLength(2);
  });

  test('are counted again once older than the maximum age', async () => {
    const head = fakeHead([{ n: 1, t: 1, b: 1 }, { n: 2, t: 2, b: 2 }]);
    const collection = new ClusterCollection('jiansuo', head.run, -1);
    expect((await collection.get()).documentCount).toBe(1);
    expect((await collection.get()).documentCount).toBe(2);
  });

  test('an empty cluster has no average to divide by zero', async () => {
    const collection = new ClusterCollection('jiansuo', fakeHead([{ n: 0, t: 0, b: 0 }]).run);
    expect(await collection.get()).toEqual({ documentCount: 0, avgTitleWords: 0, avgBodyWords: 0 });
  });

  test('a failed count is not kept: the next search counts again', async () => {
    const head = fakeHead([new Error('agent timed out'), { n: 3, t: 3, b: 30 }]);
    const collection = new ClusterCollection('jiansuo', head.run);
    await expect(collection.get()).rejects.toThrow('agent timed out');
    expect(await collection.get()).toEqual({ documentCount: 3, avgTitleWords: 1, avgBodyWords: 10 });
  });

  test('shards written before the length attributes existed are refused with what to do', async () => {
    const collection = new ClusterCollection('jiansuo', fakeHead([new Error("index jiansuo: unknown column: 'tlen'")]).run);
    const failure = collection.get();
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toThrow(/create the cluster again/);
  });
});
