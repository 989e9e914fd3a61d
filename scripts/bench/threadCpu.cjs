/**
 * Where a build's CPU goes, by thread: preload it into `jiansuo index` (worker threads inherit it)
 *
 *   node --require ./scripts/bench/threadCpu.cjs bin/jiansuo.js index --source … --out … --threads 2
 *
 * and, as the process exits, it prints each thread's CPU time and the CPU time spent inside
 * jieba's `cutForSearch` (with the UTF-16 units it was given), read from the kernel's
 * per-thread counter (/proc/thread-self/schedstat, nanoseconds on a CPU) around each call:
 * CPU time, unlike a profiler's wall-clock samples, is not inflated when the machine has more
 * busy threads than cores. Linux only. Each thread writes its figures to a file of its own in
 * a temporary directory (a worker thread that is terminated runs no exit handler, so it
 * writes them every 50 calls); the main thread prints them all when it exits.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');
const { isMainThread } = require('node:worker_threads');

const DIR_VARIABLE = 'JIANSUO_THREAD_CPU_DIR';
if (isMainThread && !process.env[DIR_VARIABLE]) process.env[DIR_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'jiansuo-thread-cpu-'));
const dir = process.env[DIR_VARIABLE];

/** This thread's CPU time so far, in nanoseconds. */
function threadCpuNs() {
  return Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
}

const threadId = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0];
const figures = { main: isMainThread, jiebaCalls: 0, jiebaNs: 0, jiebaUnits: 0, cpuNs: 0 };

function write() {
  figures.cpuNs = threadCpuNs();
  fs.writeFileSync(path.join(dir, `${threadId}.json`), JSON.stringify(figures));
}

const load = Module._load;
let wrapped = false;
Module._load = function loadAndWrap(request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  if (request === 'nodejieba' && !wrapped) {
    wrapped = true;
    const cutForSearch = loaded.cutForSearch;
    loaded.cutForSearch = function timedCutForSearch(text, hmm) {
      const start = threadCpuNs();
      const words = cutForSearch.call(this, text, hmm);
      figures.jiebaNs += threadCpuNs() - start;
      figures.jiebaUnits += text.length;
      if (++figures.jiebaCalls % 50 === 0) write();
      return words;
    };
  }
  return loaded;
};

process.on('exit', () => {
  write();
  if (!isMainThread) return;
  const threads = fs.readdirSync(dir).map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  const seconds = (ns) => (ns / 1e9).toFixed(1);
  for (const t of threads.sort((a, b) => Number(b.main) - Number(a.main))) {
    const jieba = t.jiebaCalls > 0 ? `, of which jieba cutForSearch ${seconds(t.jiebaNs)} s for ${t.jiebaUnits} units (${((t.jiebaUnits / t.jiebaNs) * 1e3).toFixed(2)} M units per CPU-second)` : '';
    process.stderr.write(`thread-cpu: ${t.main ? 'main thread' : 'worker thread'} ${seconds(t.cpuNs)} s CPU${jieba}\n`);
  }
  const usage = process.resourceUsage();
  process.stderr.write(`thread-cpu: whole process ${((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(1)} s CPU (the rest: V8's helper threads, libuv, threads that ended before writing)\n`);
  fs.rmSync(dir, { recursive: true, force: true });
});
