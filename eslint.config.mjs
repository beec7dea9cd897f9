// Lint, run by `npm run lint` (part of `npm test`) with --max-warnings 0.
// - lib/ (what users run): typescript-eslint's strictTypeChecked and stylisticTypeChecked, with
//   type information from tsconfig.json.
// - spec/, examples/, bench/, scripts/ and the config files: the recommended rules without type
//   information. The strict typed rules there would mean rewriting tests that pass values the types
//   forbid on purpose (hostile inputs, wrong options) and would double the lint time.
// - Everywhere: a rule switched off for a line says why (`-- reason`), and an unused switch fails.
// eslint-config-prettier comes last, so that no rule here argues with Prettier's layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** `// eslint-disable-next-line rule -- why`: a switch without its reason is an error. */
const house = {
  rules: {
    'disable-needs-reason': {
      meta: { type: 'suggestion', schema: [], docs: { description: 'Every eslint-disable comment says why.' } },
      create(context) {
        return {
          Program() {
            for (const comment of context.sourceCode.getAllComments()) {
              const text = comment.value.trim();
              if (/^eslint-disable(-next-line|-line)?\b/.test(text) && !/\s--\s*\S/.test(text)) {
                context.report({
                  loc: comment.loc,
                  message: 'Say why the rule is off: `-- <reason>` after the rule names.',
                });
              }
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', '.tmp/', 'node_modules/', 'docs/api/'] },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { house },
    rules: { 'house/disable-needs-reason': 'error' },
  },
  {
    files: ['lib/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // tsconfig has noUncheckedIndexedAccess, so every read of an array by index is typed
      // `T | undefined`. The graph and the engine read rows by indices that compileGraph
      // guarantees in range (a node index below graph.size); `rows[i]!` states that invariant
      // where a runtime check would cost on the hot path. 125 such reads.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // A class is read from `prototype.constructor` and `Object.getPrototypeOf`, which TypeScript
      // types as `Function`; the DSL and Nest code walk classes they did not define (any
      // constructor, abstract or not), where a construct signature would need a cast at each read.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Numbers in messages (`got 0`, `attempt 2`) print as anyone expects; other types still
      // go through describe()/shown() or String().
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `return this.#await(...)` in a method that returns void ends the branch in one line (the
      // engine does this on every settle); arrow shorthands that call a void hook likewise.
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      // Rejecting with a caught `unknown` hands the caller the user's own failure unchanged
      // (a thrown string stays a string for whoever wrote it); the library's own rejections are Errors.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // A Nest module is a decorated class with static factories (`DagModule.forRoot`): Nest needs the class.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
    },
  },
  {
    // The compile-time checks of the class DSL: type-level code only. `any` is what matches every
    // function in a conditional type (`unknown[]` parameters would refuse `(x: number) => ...`), and
    // `void` is what a decorator that passes its check returns, so it is the "no error" answer.
    files: ['lib/dsl/decorator-types.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-invalid-void-type': 'off' },
  },
  {
    files: ['spec/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.mjs', '*.js', '*.cjs', '*.mjs'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // A leading underscore marks a parameter kept for its position (`(_event, run) => ...`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Specs pass what the types forbid (`null` options, decorators on the wrong member) to pin the
    // runtime guards, and load CommonJS copies of modules in isolation with require().
    files: ['spec/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The code a user migrates from, typed as its own library types it (async.auto's results).
    files: ['examples/*-before.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS config files (jest, dependency-cruiser) run in Node.
    files: ['*.js', '*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  prettier,
);
