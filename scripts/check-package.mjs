// Loads the built package both ways, as a user would: `require` and `import`.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cjs = require('../dist/index.cjs');
const esm = await import('../dist/index.mjs');
for (const [kind, mod] of [['require', cjs], ['import', esm]]) {
  if (typeof mod.buildDag !== 'function') throw new Error(`${kind}: buildDag is missing`);
  const dag = mod.buildDag((tm) => { tm.addNode(() => 41); });
  const result = await dag.invoke();
  if (result.get('node_0') !== 41) throw new Error(`${kind}: unexpected result`);
}
console.log('package loads with require and import');
