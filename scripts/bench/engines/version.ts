import * as fs from 'node:fs';
import * as path from 'node:path';

/** `name@version` of an installed package, read from its package.json. */
export function packageVersion(name: string): string {
  const file = path.resolve(__dirname, '../../../node_modules', name, 'package.json');
  const { version } = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string };
  return `${name}@${version}`;
}
