/**
 * Two projects: `unit` runs in-process and fast (`npm run test:unit`); `integration` starts
 * processes, servers, worker threads or browsers, or reads real corpora (`npm run
 * test:integration`). `npm test` runs both. A new test file is a unit test unless it is
 * listed here: list it when it does any of those things.
 */
const INTEGRATION = [
  '<rootDir>/test/browser/',
  '<rootDir>/test/load/',
  '<rootDir>/test/server/run.test.ts',
  '<rootDir>/test/server/heapGrowth.test.ts',
  '<rootDir>/test/cli.test.ts',
  '<rootDir>/test/update.test.ts',
  '<rootDir>/test/userDictCopy.test.ts',
  '<rootDir>/test/workerLoader.test.ts',
  '<rootDir>/test/build.test.ts',
  '<rootDir>/test/hostile.test.ts',
  '<rootDir>/test/index/crash.test.ts',
  '<rootDir>/test/updateCrash.test.ts',
  '<rootDir>/test/index/readersDuringUpdates.test.ts',
  '<rootDir>/test/server/uploadDuringSearches.test.ts',
  '<rootDir>/test/scripts/evalSets.test.ts',
  '<rootDir>/test/index/parallelBuild.test.ts',
  '<rootDir>/test/index/docStore.test.ts',
  '<rootDir>/test/index/merge.test.ts',
  '<rootDir>/test/index/flushedBuild.test.ts',
  '<rootDir>/test/index/stagedLexicon.test.ts',
  '<rootDir>/test/search/oracle.test.ts',
  '<rootDir>/test/search/related.test.ts',
  '<rootDir>/test/search/topk.test.ts',
  '<rootDir>/test/server/hardening.test.ts',
  '<rootDir>/test/server/heavyLane.test.ts',
  '<rootDir>/test/backend/sphinx.test.ts',
  '<rootDir>/test/backend/rerank.test.ts',
];

/** @type {import('jest').Config} */
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: {
    // jieba's dictionaries loaded once per test worker, not once per test file (test/sharedJieba.ts).
    '^nodejieba$': '<rootDir>/test/sharedJieba.ts',
    // The worker threads src/ starts run dist/'s compiled files when current (test/workerLoader.cjs).
    '^tsx/cjs$': '<rootDir>/test/workerLoader.cjs',
  },
};

/** @type {import('jest').Config} */
module.exports = {
  // Generous: a loaded 2-core machine runs tests several times slower than an idle one.
  testTimeout: 120000,
  // Two test files at a time even on 2 cores (Jest's default there is one): most integration
  // tests wait on child processes, servers and browsers, so two overlap well.
  maxWorkers: 2,
  // A test worker ends by letting its event loop empty; one that has loaded jieba's
  // dictionaries in many test files holds 600+ MB and, on a loaded machine, takes longer than
  // Jest's default 500 ms to exit, which Jest reports as "failed to exit gracefully" although
  // no handle is left open (checked: only the worker's IPC pipe and stdio remain). 10 s is
  // never reached by an idle worker; a leaked handle would still be force-exited and reported.
  workerGracefulExitTimeout: 10000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...INTEGRATION] },
    { ...common, displayName: 'integration', testMatch: INTEGRATION.map((entry) => (entry.endsWith('/') ? `${entry}**/*.test.ts` : entry)) },
  ],
};
