import * as fs from 'node:fs';
import * as path from 'node:path';

/** Runs a full garbage collection when the process was started with --expose-gc. */
export function collectGarbage(): void {
  const { gc } = globalThis as { gc?: () => void };
  gc?.();
}

/**
 * Resets the kernel's peak-RSS mark (VmHWM) to the current RSS by writing 5 to
 * /proc/self/clear_refs (Linux ≥ 4.0). Returns false where that is not possible.
 */
export function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Peak resident set size in bytes since the last `resetPeakRss` (VmHWM from /proc/self/status).
 * Sampling process.memoryUsage() on a timer would miss it: builds are synchronous and block the
 * event loop. Without /proc, falls back to getrusage's lifetime maximum.
 */
export function peakRss(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS * 1024;
}

/** Bytes of all files under `dir`, recursively (like `du -sb`, apparent sizes). */
export function directoryBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full);
    else if (entry.isFile()) total += fs.statSync(full).size;
  }
  return total;
}
