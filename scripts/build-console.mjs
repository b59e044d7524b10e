// Builds the web console into dist/public/console without a bundler: tsc compiles its ES
// modules, the browser builds of its libraries are copied from node_modules, and bare import
// specifiers are rewritten to those copies' URLs (no import map: it would be an inline script,
// which the console's Content-Security-Policy forbids).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';

const ROOT = join(import.meta.dirname, '..');
const SOURCE = join(ROOT, 'console');
const COMPILED = join(ROOT, 'dist', '.console-tsc');
const OUT = join(ROOT, 'dist', 'public', 'console');
const URL_PREFIX = '/console/';

/**
 * Each library the console imports: its browser ES module and the file it is served as.
 * @type {Record<string, [string, string]>}
 */
const VENDOR = {
  preact: ['preact/dist/preact.mjs', 'vendor/preact.js'],
  'preact/hooks': ['preact/hooks/dist/hooks.mjs', 'vendor/preact-hooks.js'],
  'preact/jsx-runtime': ['preact/jsx-runtime/dist/jsxRuntime.mjs', 'vendor/preact-jsx-runtime.js'],
  'openapi-fetch': ['openapi-fetch/dist/index.mjs', 'vendor/openapi-fetch.js'],
  uplot: ['uplot/dist/uPlot.esm.js', 'vendor/uplot.js'],
  diff: ['diff/libesm/index.js', 'vendor/diff/index.js'],
};
/**
 * Libraries whose browser ES modules are several files importing each other by relative path:
 * the whole folder is copied (its .js files) to where the entry above is served from.
 * @type {Record<string, [string, string]>}
 */
const VENDOR_FOLDERS = { diff: ['diff/libesm', 'vendor/diff'] };
const STYLES = { 'uplot/dist/uPlot.min.css': 'vendor/uplot.css' };

const SPECIFIER = /(\bfrom\s*|\bimport\s*)(["'])([\w@./-]+)\2/g;

/**
 * Bare specifiers become the vendored files' URLs; anything else unknown stops the build.
 * @param {string} file
 */
function rewriteImports(file) {
  const text = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const rewritten = text.replace(
    SPECIFIER,
    /** @type {(match: string, keyword: string, quote: string, specifier: string) => string} */
    (match, keyword, quote, specifier) => {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        return match;
      }
      const vendored = VENDOR[specifier];
      if (vendored === undefined) {
        throw new Error(`${file}: import of "${specifier}", which the console does not vendor`);
      }
      return `${keyword}${quote}${URL_PREFIX}${vendored[1]}${quote}`;
    },
  );
  writeFileSync(file, rewritten);
}

/**
 * @param {string} dir
 * @returns {string[]}
 */
function javascriptFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

rmSync(OUT, { recursive: true, force: true });
rmSync(COMPILED, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(SOURCE, 'tsconfig.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) {
  process.exit(tsc.status ?? 1);
}
mkdirSync(join(OUT, 'vendor'), { recursive: true });
cpSync(join(COMPILED, 'console', 'src'), join(OUT, 'js'), { recursive: true });
rmSync(COMPILED, { recursive: true, force: true });
for (const name of readdirSync(SOURCE)) {
  if (/\.(html|css|svg|png)$/.test(name)) {
    cpSync(join(SOURCE, name), join(OUT, name));
  }
}
for (const [from, to] of Object.values(VENDOR_FOLDERS)) {
  cpSync(join(ROOT, 'node_modules', from), join(OUT, to), {
    recursive: true,
    filter: (source) => !/\.(d\.ts|map|json|md)$/.test(source),
  });
}
for (const [from, to] of [...Object.values(VENDOR), ...Object.entries(STYLES)]) {
  const source = join(ROOT, 'node_modules', from);
  mkdirSync(dirname(join(OUT, to)), { recursive: true });
  cpSync(source, join(OUT, to));
}
for (const file of javascriptFiles(OUT)) {
  if (file.endsWith('.spec.js')) {
    // The unit specs are type-checked with the console and run by Jest; the browser needs none.
    rmSync(file);
  } else {
    rewriteImports(file);
  }
}
