/**
 * The import rules of the source tree (docs/architecture.md), checked by dependency-cruiser on every
 * import, type-only ones included: `npx depcruise src machines` prints the violations, and
 * test/architecture.test.ts fails the test run on any of them.
 *
 * Layers by rank: a module may import its own layer or a lower rank, never a layer of its own rank or
 * above. `protocol` is below both sides of the sink; `dubber` (the fake Dubber) and `platform` (what
 * Webex's side uses) share a rank, so neither imports the other.
 */

/** [layer name, path pattern, rank] */
const LAYERS = [
  ['errors', '^src/errors\\.ts$', 0],
  ['time', '^src/time/', 1],
  ['text', '^src/text/', 1],
  ['domain', '^src/domain/', 1],
  ['machines', '^machines/', 2],
  ['call', '^src/call/', 3],
  ['media', '^src/media/', 4],
  ['delay', '^src/delay/', 4],
  ['wan', '^src/wan/', 4],
  ['protocol', '^src/protocol/', 5],
  ['dubber', '^src/dubber/', 6],
  ['platform', '^src/platform/', 6],
  ['scenario', '^src/scenario/', 7],
  ['load', '^src/load/', 7],
  ['measure', '^src/measure/', 7],
  // The served Webex API drives the domain and call machines, loads scenario fixtures and carries the
  // scenario runner's steps over HTTP (the runner itself only knows the control-surface interface).
  ['webex', '^src/webex/', 7.5],
  ['cli', '^src/cli/', 8],
];

const layerRules = LAYERS.flatMap(([name, path, rank]) => {
  const above = LAYERS.filter(([other, , r]) => other !== name && r >= rank).map(([, p]) => p);
  if (above.length === 0) return [];
  return [
    {
      name: `layer-${name}`,
      comment: `${name} (rank ${rank}) imports only lower layers: never its peers or the layers above it`,
      severity: 'error',
      from: { path },
      to: { path: above },
    },
  ];
});

/** The files that may import `ws`: the sink's server shell and the platform's clients. */
const WS_ALLOWED = ['^src/dubber/server\\.ts$', '^src/platform/'];

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'store-below-dubber',
      comment: 'the storage port and its implementations know nothing of the server, ingest or portal',
      severity: 'error',
      from: { path: '^src/dubber/store/' },
      to: { path: '^src/dubber/', pathNot: '^src/dubber/store/' },
    },
    {
      name: 'sip-layers-pure',
      comment: 'SIP, SIPREC bodies and RTP statistics import nothing of the project but errors and time',
      severity: 'error',
      from: { path: '^src/protocol/(sip|siprec|rtp)/' },
      to: { path: '^(src|machines)/', pathNot: ['^src/protocol/(sip|siprec|rtp)/', '^src/errors\\.ts$', '^src/time/'] },
    },
    {
      name: 'ws-only-in-shells',
      comment: 'ws is used by the server shell and the platform clients only; the ingest core is transport-free',
      severity: 'error',
      from: { pathNot: WS_ALLOWED },
      to: { path: '(^|/)node_modules/ws/' },
    },
    {
      name: 'siprec-src-core-socket-free',
      comment:
        'the platform SIPREC client core runs on an injected transport (virtual time, no sockets); only its socket-* shell touches the network',
      severity: 'error',
      from: { path: '^src/platform/siprec/', pathNot: '^src/platform/siprec/socket-[^/]+\\.ts$' },
      to: { path: ['^(node:)?(dgram|net|tls|http|https|http2|dns)$', '(^|/)node_modules/ws/'] },
    },
    {
      name: 'sockets-only-in-siprec-shell',
      comment:
        'the SIPREC adapter and the ingest core are socket-free (they run in virtual time); node:dgram and node:net only in the SIPREC shell',
      severity: 'error',
      from: { path: '^src/dubber/(siprec|ingest)/', pathNot: '^src/dubber/siprec/siprec-shell\\.ts$' },
      to: { path: '^(node:)?(dgram|net|http|https|tls)$' },
    },
    {
      name: 'sqlite-only-in-store-sqlite',
      comment: 'better-sqlite3 is used by the SQLite store only',
      severity: 'error',
      from: { pathNot: '^src/dubber/store/sqlite/' },
      to: { path: '(^|/)node_modules/better-sqlite3/' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles, type-only ones included',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves to a file or an installed package',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};

// For test/architecture.test.ts (every source file is in a layer); not a dependency-cruiser setting.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
