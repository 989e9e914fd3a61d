import * as fs from 'node:fs';
import { MemoryFlushPolicy, residentBytes } from '../../src/index/flushPolicy';

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
  it('finishes a segment when the rest plus 3 times the buffer reaches the cap less a thirty-sixth', () => {
    const { policy, process } = policyWith(900);
    process.rss = 691.6 * MB; // 600 MB of rest, 91.6 MB of buffer: 600 + 274.8 < 875
    expect(policy.shouldFlush(91.6 * MB)).toBe(false);
    process.rss = 691.7 * MB; // 600 + 91.7 × 3 = 875.1: the cap less 25 MB (an eighteenth, 50 MB, while flushes made lexicons: it waited until 83.4 MB)
    expect(policy.shouldFlush(91.7 * MB)).toBe(true);
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
    process.rss = 668 * MB; // 600 + 68 × 4 = 872 < 875
    expect(policy.shouldFlush(68 * MB)).toBe(false);
    process.rss = 669 * MB; // 600 + 69 × 4 = 876: 3 would have waited (807)
    expect(policy.shouldFlush(69 * MB)).toBe(true);
  });

  it('takes the RSS after writing when the high-water mark did not move, and never learns less than 3', () => {
    const { policy, process } = policyWith(900);
    process.highWater = 1200 * MB; // set before the build's segments, e.g. by reading the sources
    process.rss = 700 * MB;
    expect(policy.shouldFlush(100 * MB)).toBe(true);
    process.rss = 680 * MB; // finishing cost 80 MB over the rest: less than a buffer, less than assumed
    policy.segmentWritten();
    process.rss = 691 * MB; // 600 + 91 × 3 = 873 < 875: still 3
    expect(policy.shouldFlush(91 * MB)).toBe(false);
    process.rss = 692 * MB;
    expect(policy.shouldFlush(92 * MB)).toBe(true);
  });

  it('learns nothing from a segment it did not ask for (the last one of a build)', () => {
    const { policy, process } = policyWith(900);
    process.rss = 650 * MB;
    expect(policy.shouldFlush(50 * MB)).toBe(false);
    process.highWater = 3000 * MB;
    policy.segmentWritten();
    process.rss = 691 * MB; // 600 + 91 × 3 = 873 < 875
    expect(policy.shouldFlush(91 * MB)).toBe(false);
    process.rss = 692 * MB;
    expect(policy.shouldFlush(92 * MB)).toBe(true);
  });

  // The readings of a news-large build in the benchmark's harness (2026-12-05, run b2 of docs/performance.md): after the
  // write of a 59.7 MB segment the RSS stayed at 841–851 MB while the next buffer grew into what that finish let go of.
  it('finishes no segment under a third of the first one, nor under two thirds of the last one but the first', () => {
    const { policy, process } = policyWith(900);
    process.rss = process.highWater = 635.5 * MB;
    expect(policy.shouldFlush(132.8 * MB)).toBe(true); // the first: 502.7 + 3 × 132.8 > 875
    process.rss = process.highWater = 848 * MB;
    policy.segmentWritten();
    // Right after it, the rest reads 819.8 MB: 28.2 MB of buffer would do by the RSS, but not by the first (44.3 MB).
    process.rss = 848 * MB;
    expect(policy.shouldFlush(28.2 * MB)).toBe(false);
    expect(policy.shouldFlush(44.2 * MB)).toBe(false);
    expect(policy.shouldFlush(44.3 * MB)).toBe(true);
    process.rss = 831 * MB;
    policy.segmentWritten();
    // The first one's buffer alone sets no floor of two thirds.
    process.rss = 788.6 * MB;
    expect(policy.shouldFlush(59.7 * MB)).toBe(true); // 728.9 + 3 × 59.7 > 875
    process.rss = 851.6 * MB;
    policy.segmentWritten();
    // 841.3 MB with 33.7 MB of buffer: 807.6 + 3 × 33.7 > 875, but under two thirds of 59.7 MB (39.8).
    process.rss = 841.3 * MB;
    expect(policy.shouldFlush(33.7 * MB)).toBe(false);
    expect(policy.shouldFlush(44.2 * MB)).toBe(false); // still under a third of the first
    expect(policy.shouldFlush(44.3 * MB)).toBe(true);
  });
});

describe('residentBytes', () => {
  it('reads the RSS process.memoryUsage.rss reads, from /proc/self/status on Linux', () => {
    // Memory touched between the two readings moves them apart: grow it first, then read both back to back.
    const held = Buffer.alloc(64 * MB, 1);
    const before = process.memoryUsage.rss();
    const read = residentBytes();
    const after = process.memoryUsage.rss();
    expect(held[held.length - 1]).toBe(1);
    expect(read).toBeGreaterThanOrEqual(Math.min(before, after) - 4 * 1024 * 1024);
    expect(read).toBeLessThanOrEqual(Math.max(before, after) + 4 * 1024 * 1024);
    expect(read % 1024).toBe(0);
    if (process.platform === 'linux') {
      const status = fs.readFileSync('/proc/self/status', 'latin1');
      expect(status).toMatch(/\nVmRSS:\s+\d+ kB\n/);
    }
  });
});
