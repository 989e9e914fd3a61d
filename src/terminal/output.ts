/** Writes `text` to stdout as it is: the commands' results and the server's announcements. */
export function out(text: string): void {
  process.stdout.write(text);
}

/** Writes `text` to stderr as it is: problems, warnings and progress. */
export function err(text: string): void {
  process.stderr.write(text);
}
