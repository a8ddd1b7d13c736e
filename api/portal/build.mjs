// Builds the portal into dist/: one JavaScript bundle and one stylesheet, both named by a
// hash of their content, and an index.html that names them. index.html is served with
// no-cache and the assets as immutable, so a phone that cached an old bundle never runs
// it against a newer page, and a new release reaches everyone on their next visit.
//
//   node build.mjs [--out DIR]      (default: dist)
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : join(here, 'dist');

const result = await esbuild.build({
  entryPoints: [join(here, 'src/main.jsx')],
  bundle: true,
  minify: true,
  sourcemap: false,
  write: false,
  format: 'iife',
  // Debian 12's Chromium and phones from the last five years.
  target: ['chrome87', 'safari14', 'firefox78'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  loader: { '.js': 'jsx' },
  outdir: 'assets',
  logLevel: 'warning',
});

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, 'assets'), { recursive: true });

const named = {};
for (const file of result.outputFiles) {
  const ext = file.path.endsWith('.css') ? 'css' : 'js';
  const hash = createHash('sha256').update(file.contents).digest('hex').slice(0, 16);
  const name = `app-${hash}.${ext}`;
  writeFileSync(join(outDir, 'assets', name), file.contents);
  named[ext] = `/assets/${name}`;
}
if (!named.js || !named.css) throw new Error('esbuild produced no bundle or no stylesheet');

const page = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replace('@SCRIPT@', named.js)
  .replace('@STYLE@', named.css);
writeFileSync(join(outDir, 'index.html'), page);
writeFileSync(join(outDir, 'assets/favicon.svg'), readFileSync(join(here, 'src/favicon.svg')));
console.log(`portal built into ${outDir}: ${named.js} ${named.css}`);
