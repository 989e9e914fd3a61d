/**
 * The TypeScript loader of the worker threads src/ starts while Jest runs the sources
 * (jest.config.js maps `tsx/cjs`, which src/index/workerPool.ts's workerScript names, here).
 *
 * Each source file of src/ is run as its compiled file in dist/ when that was written after
 * the source and after the tsconfig files were (`npm ci` builds dist/: in CI it is current),
 * as test/process.ts runs the compiled command: the same code, which a thread loads in about a
 * third of the CPU time tsx takes (about 0.6 s less a thread, and a build starts several).
 * With isolatedModules each file compiles on its own, so a file compiled after its last change
 * is that file. Anything else (a source changed since the last build, a file outside src/)
 * goes through tsx, as without this loader.
 */
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src') + path.sep;
const DIST = path.join(ROOT, 'dist');
const CONFIGS = Math.max(...['tsconfig.json', 'tsconfig.build.json'].map((file) => fs.statSync(path.join(ROOT, file)).mtimeMs));

/** The compiled file of `source` when it is current, else undefined. */
function compiled(source) {
  if (!source.startsWith(SRC)) return undefined;
  const file = path.join(DIST, source.slice(SRC.length).replace(/\.ts$/, '.js'));
  try {
    const built = fs.statSync(file).mtimeMs;
    return built >= fs.statSync(source).mtimeMs && built >= CONFIGS ? file : undefined;
  } catch {
    return undefined;
  }
}

let tsx;
/** tsx's handler of .ts files, registered the first time one is needed; ours stays the one Node calls. */
function tsxHandler() {
  if (tsx === undefined) {
    const ours = Module._extensions['.ts'];
    require('tsx/cjs');
    tsx = Module._extensions['.ts'];
    Module._extensions['.ts'] = ours;
  }
  return tsx;
}

Module._extensions['.ts'] = function loadTs(module, filename) {
  const file = compiled(filename);
  // Under the source's name, as tsx runs it: __filename, __dirname and relative requires are those of src/.
  if (file) module._compile(fs.readFileSync(file, 'utf8'), filename);
  else tsxHandler()(module, filename);
};
