// Module layering, declared once here and checked by `npm test` before jest.
//
//   kernel  <-  infra  <-  features, in the order below  <-  app.module, main, cli
//
// kernel (src/kernel/): what every feature shares (county time, region path
//   and code, the password policy); plain TypeScript and zod, nothing else.
// infra (src/infra/): database, queues, Redis, HTTP, config; knows no feature.
// features (src/<feature>/): each may import only the features listed BEFORE
//   it, so the module graph has no cycle by construction. A new feature goes
//   where its imports put it; needing a later one means code is in the wrong
//   place (or the later one should register with it, as with the access
//   registry or scheduling's PlaylistPreemptions).
// domain/ folders: rules only, no framework, database client or queue.
// Tests (*.spec.ts, tests/) wire modules together on purpose and are not checked.
// agent/src: the endpoint program, its own package (dalaba-agent) with no
//   runtime dependency: it imports only Node and itself. The simulator imports
//   its protocol code as the package `dalaba-agent/protocol` (built to agent/dist).

const FEATURES = [
  'auth', // access rules every feature declares (decorator, guard, registry), sign-in
  'audit',
  'regions',
  'users',
  'notifications', // notifications to the people who must act: every later feature raises them
  'programmes',
  'media',
  'ledger',
  'scheduling',
  'endpoints',
  'emergencies',
  'relays', // relayed streams on air: the sweep and the worker feeding Icecast
  'ebd', // docking with the upper emergency-broadcast platform (EBD exchange, SM2/SM3)
  'points',
  'lectures',
  'live', // live voice (实时喊话): a speaker's microphone to loudspeakers through Icecast
  'villagers', // the villagers' public pages (poster codes, orders, ratings)
  'volunteers', // self-registered volunteers, their cards, sign-in at sessions
  'redemptions', // the points catalogue and the counter (积分兑换)
  'reports',
  'health',
];
// Imports are checked as resolved paths, so a package is its folder under node_modules.
const FRAMEWORKS = '^node_modules/(@nestjs|@prisma|@bull-board|@fastify|fastify|bullmq|ioredis)/|^src/generated/';
const anyOf = (names) => `^src/(${names.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'agent-imports-only-node',
      comment:
        'The agent ships alone to a loudspeaker box: Node built-ins and its own files, no package, no server code.',
      severity: 'error',
      from: { path: '^agent/src/' },
      to: { pathNot: '^agent/src/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'kernel-imports-nothing',
      comment: 'The kernel is imported by everyone, so it imports only itself, zod and Node.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { pathNot: '^src/kernel/|^node_modules/zod/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'infra-imports-no-feature',
      comment: 'Infrastructure serves every feature and knows none.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: anyOf(FEATURES) },
    },
    ...FEATURES.map((feature, rank) => ({
      name: `${feature}-imports-only-earlier-features`,
      comment: `Features depend one way (see FEATURES): ${feature} may import ${FEATURES.slice(0, rank).join(', ') || 'no feature'}.`,
      severity: 'error',
      from: { path: `^src/${feature}/` },
      to: { path: anyOf(FEATURES.slice(rank + 1)) },
    })),
    {
      name: 'domain-imports-no-framework',
      comment: 'domain/ folders hold the rules, with no framework, database client or queue.',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: FRAMEWORKS },
    },
    {
      name: 'no-unresolvable-import',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // The generated Prisma client is a dependency like a package: seen, not walked.
    doNotFollow: { path: '^node_modules/|^src/generated/' },
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
