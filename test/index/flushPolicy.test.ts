import { MemoryFlushPolicy } from '../../src/index/flushPolicy';

const MB = 1e6;

/** A policy over a process whose RSS and high-water mark the test sets. */
function policyWith(capMB: number): { policy: MemoryFlushPolicy; process: { rss: number; highWater: number } } {
  const process = { rss: 0, highWater: 0 };
  const policy = new MemoryFlushPolicy(
    capMB * MB,
    () => process.rss,
    () => process.highWater,
  );
  return { policy, process };
}

describe('MemoryFlushPolicy', () => {
  it('finishes a segment when the rest plus 3 times the buffer reaches the cap', () => {
    const { policy, process } = policyWith(900);
    process.rss = 690 * MB; // 600 MB of rest, 90 MB of buffer: 600 + 270 < 900
    expect(policy.shouldFlush(90 * MB)).toBe(false);
    process.rss = 700 * MB; // 600 + 100 × 3 = 900
    expect(policy.shouldFlush(100 * MB)).toBe(true);
  });

  it('never finishes a segment below a thirty-second of the cap', () => {
    const { policy, process } = policyWith(900);
    process.rss = 2000 * MB;
    expect(policy.shouldFlush(28 * MB)).toBe(false);
    expect(policy.shouldFlush(29 * MB)).toBe(true);
  });

  it('learns from a finished segment that raised the high-water mark what finishing costs', () => {
    const { policy, process } = policyWith(900);
    process.rss = process.highWater = 700 * MB;
    expect(policy.shouldFlush(100 * MB)).toBe(true);
    // Finishing it peaked at 1,000 MB over 600 MB of rest: 4 buffers, not 3.
    process.highWater = 1000 * MB;
    process.rss = 620 * MB;
    policy.segmentWritten();
    expect(policy.peakRss).toBe(1000 * MB);
    process.rss = 670 * MB; // 600 + 70 × 4 = 880 < 900
    expect(policy.shouldFlush(70 * MB)).toBe(false);
    process.rss = 675 * MB; // 600 + 75 × 4 = 900: 3 would have waited (825)
    expect(policy.shouldFlush(75 * MB)).toBe(true);
  });

  it('takes the RSS after writing when the high-water mark did not move, and never learns less than 3', () => {
    const { policy, process } = policyWith(900);
    process.highWater = 1200 * MB; // set before the build's segments, e.g. by reading the sources
    process.rss = 700 * MB;
    expect(policy.shouldFlush(100 * MB)).toBe(true);
    process.rss = 680 * MB; // finishing cost 80 MB over the rest: less than a buffer, less than assumed
    policy.segmentWritten();
    process.rss = 690 * MB; // 600 + 90 × 3 = 870 < 900: still 3
    expect(policy.shouldFlush(90 * MB)).toBe(false);
    process.rss = 700 * MB;
    expect(policy.shouldFlush(100 * MB)).toBe(true);
  });

  it('learns nothing from a segment it did not ask for (the last one of a build)', () => {
    const { policy, process } = policyWith(900);
    process.rss = 650 * MB;
    expect(policy.shouldFlush(50 * MB)).toBe(false);
    process.highWater = 3000 * MB;
    policy.segmentWritten();
    process.rss = 690 * MB; // 600 + 90 × 3 = 870 < 900
    expect(policy.shouldFlush(90 * MB)).toBe(false);
    process.rss = 700 * MB;
    expect(policy.shouldFlush(100 * MB)).toBe(true);
  });
});
