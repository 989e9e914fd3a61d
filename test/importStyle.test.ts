/** Node's own modules are imported one way everywhere: with the `node:` prefix (node:fs, not fs). */
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm;

function typeScriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

test('every import of a Node built-in module in src/, test/ and scripts/ uses the node: prefix', () => {
  const builtins = new Set(builtinModules.filter((name) => !name.startsWith('_')));
  const files = ['src', 'test', 'scripts'].flatMap((dir) => typeScriptFiles(path.join(ROOT, dir)));
  const bare = files.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(SPECIFIER)].filter((match) => builtins.has(match[1])).map((match) => `${path.relative(ROOT, file)}: ${match[1]}`),
  );
  expect(files.length).toBeGreaterThan(100);
  expect(bare).toEqual([]);
});
