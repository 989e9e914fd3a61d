/**
 * What each thread of a server holds, over time: preload it into `jiansuo serve` (worker
 * threads inherit it), with the file to write to in JIANSUO_MEMORY_PROBE,
 *
 *   JIANSUO_MEMORY_PROBE=probe.jsonl node --require ./scripts/load/memoryProbe.cjs bin/jiansuo.js serve …
 *
 * (the load script's `--probe FILE` does this). Every PROBE_MS each thread appends one line
 * of JSON: the time, whether it is the event loop (`main`), its isolate's
 * `process.memoryUsage()` figures (heapUsed, heapTotal, external, arrayBuffers; rss is the
 * process's), the size of its young and old generations, its garbage collections so far
 * (count and milliseconds, minor and major, from the `gc` performance entries) and its CPU
 * time (/proc/thread-self/schedstat). When the file `FILE.collect` is written (touched),
 * each thread, at its next sample, writes a line, runs a full collection and writes
 * another (`collected: true`): what was alive, against what was merely not collected yet.
 * Linux only; a line is short enough for appends from several threads not to interleave.
 */
'use strict';
const fs = require('node:fs');
const v8 = require('node:v8');
const vm = require('node:vm');
const { PerformanceObserver, constants } = require('node:perf_hooks');
const { isMainThread, threadId } = require('node:worker_threads');

const FILE = process.env.JIANSUO_MEMORY_PROBE;
const PROBE_MS = 1000;
const MiB = 1024 * 1024;

if (FILE) {
  const gc = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = entry.detail ? entry.detail.kind : entry.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor++;
        gc.minorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        gc.major++;
        gc.majorMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });

  const round = (bytes) => Math.round((bytes / MiB) * 10) / 10;
  const threadCpuMs = () => Math.round(Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6);

  const sample = (extra) => {
    const usage = process.memoryUsage();
    const spaces = {};
    for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = space;
    const line = {
      t: Date.now(),
      thread: threadId,
      main: isMainThread,
      rss: round(usage.rss),
      heapUsed: round(usage.heapUsed),
      heapTotal: round(usage.heapTotal),
      external: round(usage.external),
      arrayBuffers: round(usage.arrayBuffers),
      newSpace: round(spaces.new_space.space_size),
      oldSpace: round(spaces.old_space.space_size),
      oldUsed: round(spaces.old_space.space_used_size),
      largeObjects: round(spaces.large_object_space.space_size),
      gc: { minor: gc.minor, minorMs: Math.round(gc.minorMs), major: gc.major, majorMs: Math.round(gc.majorMs) },
      cpuMs: threadCpuMs(),
      ...extra,
    };
    fs.appendFileSync(FILE, `${JSON.stringify(line)}\n`);
  };

  // A request written before this thread began is not for it.
  let collectedAt = Date.now();
  let fullGc;
  const tick = () => {
    let asked = 0;
    try {
      asked = fs.statSync(`${FILE}.collect`).mtimeMs;
    } catch {
      // not asked
    }
    if (asked > collectedAt) {
      collectedAt = asked;
      sample({ collected: false });
      if (!fullGc) {
        v8.setFlagsFromString('--expose-gc');
        fullGc = vm.runInNewContext('gc');
      }
      fullGc();
      sample({ collected: true });
      return;
    }
    sample({});
  };
  setInterval(tick, PROBE_MS).unref();
}
