/**
 * The layers of src/, lowest first: a module may import modules of its own layer and of the
 * layers before it, never of a later one, and no import cycle is allowed anywhere (type-only
 * imports count). This list is the one place the order is written down; ARCHITECTURE.md
 * refers to it. `npm test` runs the check (`npm run check:layers`).
 */
const LAYERS = [
  { name: 'base', path: '^src/(counted|document|errors|eventLoop)\\.ts$' },
  { name: 'ingest', path: '^src/ingest/' },
  { name: 'analysis', path: '^src/analysis/' },
  { name: 'discovery', path: '^src/discovery/' },
  { name: 'index', path: '^src/index/' },
  { name: 'search', path: '^src/search/' },
  { name: 'library', path: '^src/(engine|build|update|updateThread|updateWorker)\\.ts$' },
  { name: 'backend', path: '^src/backend/' },
  { name: 'terminal', path: '^src/terminal/' },
  { name: 'server', path: '^src/server/' },
  { name: 'entry', path: '^src/(cli|api|serverApi)\\.ts$' },
];

/** For each layer, a rule forbidding imports of every later layer. */
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.name} may import only ${LAYERS.slice(0, i + 1).map((l) => l.name).join(', ')} (see LAYERS in .dependency-cruiser.js)`,
  severity: 'error',
  from: { path: layer.path },
  to: { path: LAYERS.slice(i + 1).map((l) => l.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: put the shared types where both sides may import them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'layer-missing',
      comment: 'A module of src/ that belongs to no layer: add its path to LAYERS in .dependency-cruiser.js.',
      severity: 'error',
      from: { path: '^src/', pathNot: LAYERS.map((l) => l.path) },
      to: {},
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too: a cycle of types is still a cycle of layers.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
