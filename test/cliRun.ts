import { main } from '../src/cli';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, capturing what it writes; stdout and stderr are not terminals unless `tty` says so. */
export async function run(args: string[], tty = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const saved = { out: process.stdout.isTTY, err: process.stderr.isTTY };
  process.stdout.isTTY = tty;
  process.stderr.isTTY = false;
  const outSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
  const errSpy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString();
    return true;
  });
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    outSpy.mockRestore();
    errSpy.mockRestore();
    process.stdout.isTTY = saved.out;
    process.stderr.isTTY = saved.err;
  }
}
