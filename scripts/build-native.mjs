// Builds each addon of native/ (shmmap.c: the read-only mmap of the tables; rawsock.c: netlink and AF_PACKET sockets)
// into build/<name>.node with the system C compiler, against the Node-API headers of the node-api-headers package,
// else those Node installs beside itself: no node-gyp, no python, no download. The addons are optional: without a
// compiler or headers this says why and exits 0; the table readers fall back to pread, and the kernel vRouter's
// channels say they are unavailable.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, resolve} from 'node:path'

function headers() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('node-api-headers/package.json')), 'include')
  } catch {
    const beside = resolve(dirname(process.execPath), '..', 'include', 'node')
    return [beside, '/usr/include/node', '/usr/local/include/node'].find((d) => existsSync(join(d, 'node_api.h')))
  }
}

const include = headers()
if (process.platform === 'win32' || !include) {
  console.warn(`build-native: skipped (${process.platform === 'win32' ? 'the addons are for Linux' : 'no Node-API headers found'}); tables are read with pread`)
  process.exit(0)
}
mkdirSync('build', {recursive: true})
const cc = process.env.CC ?? 'cc'
for (const source of readdirSync('native').filter((name) => name.endsWith('.c'))) {
  const name = source.slice(0, -2)
  try {
    execFileSync(cc, ['-O2', '-shared', '-fPIC', '-Wall', '-Werror', '-I', include, join('native', source), '-o', join('build', `${name}.node`)], {stdio: 'inherit'})
  } catch (error) {
    console.warn(`build-native: ${cc} failed on ${source} (${error.message.split('\n')[0]}); build/${name}.node is not built`)
  }
}
