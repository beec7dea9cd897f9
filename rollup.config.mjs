// Builds every entry point as ES module (.mjs) and CommonJS (.cjs), and bundles its
// declarations once per format: .d.mts for `import`, .d.cts for `require`, and .d.ts for
// TypeScript's old node10 resolution (reached through `types` and `typesVersions`).
//
// Invariants the package check (scripts/check-package.mjs) relies on:
// - Code shared by several entries lives in one chunk per format under dist/shared/, so
//   `async-dag/testing` and `async-dag` share the very same classes (`instanceof` works across).
// - A declaration file imports declaration chunks of its own flavour only (.d.mts -> .d.mts,
//   .d.cts -> .d.cts), written with the JavaScript extension TypeScript maps back (`./x.mjs`).
// - Every top-level side effect of the library (defining `Symbol.metadata` where it is missing,
//   loading reflect-metadata) lives in one chunk with a fixed name, dist/shared/side-effects.*,
//   so package.json `sideEffects` can name it exactly. Only the class DSL's chunk imports it, so
//   a bundle of the builder alone holds neither (scripts/check-runtimes.mjs measures it).
// - Every bare import (reflect-metadata, @nestjs/*, @opentelemetry/api, node:*) stays external;
//   tslib's helpers are bundled (users do not install tslib).
import { existsSync, rmSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const candidates = {
  index: 'lib/index.ts',
  testing: 'lib/testing/index.ts',
  nest: 'lib/nest/index.ts',
  otel: 'lib/otel/index.ts',
  bullmq: 'lib/bullmq/index.ts',
};
const input = Object.fromEntries(Object.entries(candidates).filter(([, file]) => existsSync(file)));

const isBare = (id) =>
  !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0') && !/^[A-Za-z]:[\\/]/.test(id);

/** Packages the library imports only for their global effect, and how to check it happened. */
const SIDE_EFFECT_PACKAGES = {
  'reflect-metadata':
    "if (typeof Reflect.getMetadata !== 'function') throw new Error('async-dag: reflect-metadata did not load; is it installed?');",
};
const SIDE_EFFECT_PREFIX = '\0side-effect:';
/** Modules whose evaluation changes global state: they all go to one fixed-name chunk. */
const SIDE_EFFECT_MODULES = [/[\\/]lib[\\/]dsl[\\/]symbol-metadata\.ts$/, /^\0side-effect:/];
const SIDE_EFFECTS_CHUNK = 'side-effects';

const reroutesSideEffect = (id, importer) =>
  Object.hasOwn(SIDE_EFFECT_PACKAGES, id) && importer !== undefined && !importer.startsWith(SIDE_EFFECT_PREFIX);

/**
 * Bare imports stay external, except a library module's side-effect package (rerouted by
 * sideEffectImports()) and tslib: @rollup/plugin-typescript always imports its helpers
 * (`__decorate`, ...) from tslib, which users do not have, so they are bundled in.
 */
const external = (id, importer) => isBare(id) && id !== 'tslib' && !reroutesSideEffect(id, importer);

/**
 * `import 'reflect-metadata'` in any library module becomes an import of a tiny internal
 * module (`\0side-effect:reflect-metadata`) that holds the one real import, so that the effect
 * lands in the side-effects chunk instead of in whichever chunk happened to import it.
 */
function sideEffectImports() {
  return {
    name: 'side-effect-imports',
    resolveId(source, importer) {
      return reroutesSideEffect(source, importer) ? { id: SIDE_EFFECT_PREFIX + source, moduleSideEffects: true } : null;
    },
    load(id) {
      if (!id.startsWith(SIDE_EFFECT_PREFIX)) return null;
      const name = id.slice(SIDE_EFFECT_PREFIX.length);
      // A module with no code of its own would be dropped and its import handed back to its
      // importers, so this one also checks that the package did what it is loaded for.
      return `import ${JSON.stringify(name)};\n${SIDE_EFFECT_PACKAGES[name]}\n`;
    },
  };
}

/**
 * The class DSL gets a chunk of its own: a bundler (esbuild, webpack, rollup) then leaves it out
 * of a bundle that uses only the builder, and with it the side-effects chunk, which only the DSL
 * imports (reflect-metadata and `Symbol.metadata` are needed only where decorators run).
 */
const DSL_MODULES = /[\\/]lib[\\/]dsl[\\/]/;
/** The core (errors, pictures, graph, run) in one chunk, that both front ends import. */
const CORE_MODULES = /[\\/]lib[\\/](errors|pictures|graph|run)[\\/]/;

const manualChunks = (id) => {
  if (SIDE_EFFECT_MODULES.some((pattern) => pattern.test(id))) return SIDE_EFFECTS_CHUNK;
  if (DSL_MODULES.test(id)) return 'dsl';
  if (CORE_MODULES.test(id)) return 'core';
  return undefined;
};

const chunkFileNames = (extension) => (chunk) =>
  chunk.name === SIDE_EFFECTS_CHUNK ? `shared/${SIDE_EFFECTS_CHUNK}${extension}` : `shared/[name]-[hash]${extension}`;

/** Empties dist/ before the first build, so that no chunk of an earlier build (hashed names) gets packed. */
function cleanDist() {
  return {
    name: 'clean-dist',
    buildStart() {
      rmSync('dist', { recursive: true, force: true });
    },
  };
}

const code = {
  input,
  external,
  plugins: [
    cleanDist(),
    sideEffectImports(),
    typescript({ tsconfig: './tsconfig.build.json', outputToFilesystem: false }),
  ],
  output: [
    {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].mjs',
      chunkFileNames: chunkFileNames('.mjs'),
      manualChunks,
      generatedCode: 'es2015',
      // Hoisting would copy `import 'reflect-metadata'` into every entry; keep it in side-effects.*.
      hoistTransitiveImports: false,
    },
    {
      dir: 'dist',
      format: 'cjs',
      entryFileNames: '[name].cjs',
      chunkFileNames: chunkFileNames('.cjs'),
      manualChunks,
      exports: 'named',
      generatedCode: 'es2015',
      hoistTransitiveImports: false,
      // Externals are real CommonJS packages (or node: builtins): no interop wrappers needed.
      interop: 'auto',
    },
  ],
};

/**
 * Declarations are bundled once, as .d.mts, and written again as .d.cts and .d.ts: the text is
 * the same, only the relative specifiers differ. rollup-plugin-dts writes a chunk's import by
 * its JavaScript name (`./shared/x.mjs`, which TypeScript maps to `./shared/x.d.mts`), so in the
 * .d.cts copy it must become `./shared/x.cjs` and in the .d.ts copy `./shared/x.js`; otherwise
 * a CommonJS consumer's types would import the ESM declarations (TS1479 under node16).
 */
function declarationFlavours() {
  const flavours = [
    { declaration: '.d.mts', javascript: '.mjs' },
    { declaration: '.d.cts', javascript: '.cjs' },
    { declaration: '.d.ts', javascript: '.js' },
  ];
  const specifier = /((?:\bfrom|\bimport)\s*\(?\s*['"])(\.{1,2}\/[^'"]+?)(?:\.d\.mts|\.mjs)(['"])/g;
  return {
    name: 'declaration-flavours',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.fileName.endsWith('.d.mts')) continue;
        const source = file.code;
        const base = file.fileName.slice(0, -'.d.mts'.length);
        for (const { declaration, javascript } of flavours) {
          const code = source.replace(specifier, (_all, head, path, quote) => `${head}${path}${javascript}${quote}`);
          if (declaration === '.d.mts') file.code = code;
          else this.emitFile({ type: 'asset', fileName: base + declaration, source: code });
        }
      }
    },
  };
}

const types = {
  input,
  external: isBare,
  plugins: [dts({ tsconfig: './tsconfig.build.json' }), declarationFlavours()],
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].d.mts',
    chunkFileNames: 'shared/[name]-[hash].d.mts',
  },
};

export default [code, types];
