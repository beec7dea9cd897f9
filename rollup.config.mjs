// Builds every entry point as ES module (.mjs) and CommonJS (.cjs), with shared code in one
// chunk per format (so `async-dag/testing` and `async-dag` share the same classes), and
// bundles the declarations once per format (.d.mts / .d.cts) plus a .d.ts for node10.
import { existsSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const candidates = { index: 'lib/index.ts', testing: 'lib/testing/index.ts', nest: 'lib/nest/index.ts', otel: 'lib/otel/index.ts' };
const input = Object.fromEntries(Object.entries(candidates).filter(([, file]) => existsSync(file)));

const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

const code = {
  input,
  external,
  plugins: [typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false })],
  output: [
    { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'shared/[name]-[hash].mjs' },
    { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'shared/[name]-[hash].cjs', exports: 'named' },
  ],
};

const types = (extension) => ({
  input,
  external,
  plugins: [dts({ tsconfig: './tsconfig.build.json' })],
  output: { dir: 'dist', format: 'es', entryFileNames: `[name]${extension}`, chunkFileNames: `shared/[name]-[hash]${extension}` },
});

export default [code, types('.d.mts'), types('.d.cts'), types('.d.ts')];
