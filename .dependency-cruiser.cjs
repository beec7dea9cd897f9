// The direction of imports in lib/, checked by `npm run lint:deps` (part of `npm test`).
// Layers, bottom up: errors <- pictures <- graph <- run (the core); the two front ends (builder,
// dsl) on the core; the adapters (nest, otel, testing, bullmq) on the package's surfaces.
// Type imports count: a cycle through `import type` is still a cycle.
const core = '^lib/(errors|pictures|graph|run)/';
const adapters = '^lib/(nest|otel|testing|bullmq)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No file may reach itself through its imports, type imports included.',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    {
      name: 'errors-import-nothing',
      severity: 'error',
      comment: 'errors/ is the bottom layer: every other folder may use it, it uses none.',
      from: { path: '^lib/errors/' },
      to: { path: '^lib/', pathNot: '^lib/errors/' },
    },
    {
      name: 'pictures-draw-plain-data',
      severity: 'error',
      comment: 'pictures/ draw from plain data shapes of their own; they know no graph and no run.',
      from: { path: '^lib/pictures/' },
      to: { path: '^lib/', pathNot: '^lib/(pictures|errors)/' },
    },
    {
      name: 'graph-knows-no-run',
      severity: 'error',
      comment: 'graph/ is what a run reads; it never imports the engine.',
      from: { path: '^lib/graph/' },
      to: { path: '^lib/', pathNot: '^lib/(graph|errors|pictures)/' },
    },
    {
      name: 'core-knows-no-front-end-or-adapter',
      severity: 'error',
      comment: 'The engine knows nothing of decorators, builders, Nest, OpenTelemetry or BullMQ.',
      from: { path: core },
      to: { path: '^lib/(builder|dsl|nest|otel|testing|bullmq)/|^lib/[^/]+$' },
    },
    {
      name: 'front-ends-import-the-core-only',
      severity: 'error',
      comment: 'A front end compiles to the core graph; it never imports the other front end or an adapter.',
      from: { path: '^lib/(builder)/' },
      to: { path: '^lib/', pathNot: `^lib/(builder|errors|pictures|graph|run)/` },
    },
    {
      name: 'dsl-imports-the-core-only',
      severity: 'error',
      comment: 'A front end compiles to the core graph; it never imports the other front end or an adapter.',
      from: { path: '^lib/dsl/' },
      to: { path: '^lib/', pathNot: `^lib/(dsl|errors|pictures|graph|run)/` },
    },
    {
      name: 'other-folders-through-their-index',
      severity: 'error',
      comment:
        "A folder's index.ts is its deliberate surface: import another folder through it, never a file inside it.",
      from: { path: '^lib/([^/]+)/' },
      to: { path: '^lib/[^/]+/', pathNot: ['^lib/$1/', '^lib/[^/]+/index\\.ts$'] },
    },
    {
      name: 'adapters-use-surfaces-only',
      severity: 'error',
      comment: 'Adapters import the public entry (lib/index.ts) and folder surfaces, never another adapter.',
      from: { path: adapters },
      to: { path: '^lib/(nest|otel|testing|bullmq)/', pathNot: '^lib/$1/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports is dead code (entry points excepted).',
      from: { orphan: true, path: '^lib/', pathNot: '^lib/(index|[^/]+/index)\\.ts$' },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^lib/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
