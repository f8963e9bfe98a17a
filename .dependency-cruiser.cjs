// The dependency rules of every folder (npm run lint): the domain core does no I/O and knows no
// outer layer; the app never reaches into an adapter; the API contract and the console stay free
// of Node so that both run in a browser; the simulator is a client of the contract, not of the
// engine's insides. Tests, benchmarks and scripts may use anything.
const NODE_IO = '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|dgram|cluster|os|readline|tls|dns)$';
const DRIVERS = '^(pg|better-sqlite3|kysely|fastify|@fastify/.*|argon2|pino|commander|cli-progress)$';
const PRODUCTION = { pathNot: '(\\.test\\.tsx?$|/testing/)' };

module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'src/core: no outer layer, no I/O, no drivers (clocks and randomness are checked by scripts/check-purity.mjs).',
      severity: 'error',
      from: { path: '^src/core/', ...PRODUCTION },
      to: { path: ['^src/(app|adapters|sim|contract)/', '^web/', NODE_IO, DRIVERS] },
    },
    {
      name: 'app-uses-ports',
      comment: 'src/app reaches storage, HTTP and files through ports, never an adapter or a driver.',
      severity: 'error',
      from: { path: '^src/app/', ...PRODUCTION },
      to: { path: ['^src/adapters/', '^src/sim/', '^web/', DRIVERS] },
    },
    {
      name: 'contract-is-portable',
      comment: 'src/contract is read by the browser: only zod, the core and itself, and nothing that reaches Node.',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: { path: ['^src/(app|adapters|sim)/', '^web/', DRIVERS] },
    },
    {
      name: 'contract-reaches-no-node',
      severity: 'error',
      from: { path: '^(src/contract|web/src)/' },
      to: { path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|crypto|os|path|url|stream|buffer|zlib|util)$', reachable: true },
    },
    {
      name: 'console-speaks-the-contract',
      comment: 'web/ knows the server only through src/contract.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: ['^src/(app|adapters|sim|core)/', DRIVERS] },
    },
    {
      name: 'simulator-writes-events',
      comment: 'src/sim makes contract events and labels; it never drives the engine, a store or the HTTP edge.',
      severity: 'error',
      from: { path: '^src/sim/', ...PRODUCTION },
      to: { path: ['^src/adapters/', '^web/', DRIVERS, '^src/app/(?!labels\\.ts$)'] },
    },
    {
      name: 'adapters-not-console',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^web/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(src|web)/' },
      comment: 'A cycle of imports that exist at run time (type-only imports are erased).',
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
