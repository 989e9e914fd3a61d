import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection of the calling thread's heap, as `global.gc` does under
 * `--expose-gc` (V8 then also releases the array buffers only garbage held). A server's
 * threads call it when they have nothing to do: V8 by itself lets a busy heap grow to
 * several times what is alive before it collects (on news-large, 150 MiB of a long-query
 * thread's heap for 52 MiB alive), and that garbage stays resident. The flag is set here,
 * at run time, because `serve` is not started with it; answers are not affected.
 */
export function fullCollector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
