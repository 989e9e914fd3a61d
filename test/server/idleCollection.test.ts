/** collectWhenIdle: the event loop collects its garbage only once no request has been under way for a while. */
import { EventEmitter } from 'node:events';
import type * as http from 'node:http';
import { GrowthCollector } from '../../src/server/collectGarbage';
import { collectWhenIdle } from '../../src/server/idleCollection';

/** A collector that counts its collections (slack −∞: it collects whenever asked). */
function counting(): { collector: GrowthCollector; asked: () => number } {
  let calls = 0;
  return { collector: new GrowthCollector(-Infinity, () => calls++), asked: () => calls };
}

/** A request arriving at `server`; its response's 'close' is `done`. */
function request(server: EventEmitter): () => void {
  const response = new EventEmitter();
  server.emit('request', new EventEmitter(), response);
  return () => response.emit('close');
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('collects after a quiet moment, never while a request is under way, and not after stop', async () => {
  const server = new EventEmitter();
  const { collector, asked } = counting();
  const idle = collectWhenIdle(server as http.Server, 30, collector);
  const done = request(server);
  await wait(120);
  expect(asked()).toBe(0);
  done();
  await wait(120);
  expect(asked()).toBe(1);
  // Nothing asked since: no further collection until requests come and go again.
  await wait(120);
  expect(asked()).toBe(1);
  request(server)();
  await wait(120);
  expect(asked()).toBe(2);
  idle.stop();
  request(server)();
  await wait(120);
  expect(asked()).toBe(2);
  expect(server.listenerCount('request')).toBe(0);
});

it('collects once at the start when no request comes (what opening and warming up left)', async () => {
  const { collector, asked } = counting();
  const idle = collectWhenIdle(new EventEmitter() as http.Server, 10, collector);
  await wait(80);
  expect(asked()).toBe(1);
  idle.stop();
});

it('GrowthCollector collects only once the thread holds more than its slack beyond what was alive', () => {
  let collections = 0;
  const collector = new GrowthCollector(1 << 30, () => collections++);
  // The first time nothing was alive before: holding more than the slack (1 GiB) it is not.
  expect(collector.collectIfGrown()).toBe(false);
  const eager = new GrowthCollector(0, () => collections++);
  expect(eager.collectIfGrown()).toBe(true);
  expect(collections).toBe(1);
});
