// Builds native/shmmap.c (the read-only mmap addon) into build/shmmap.node with the system C compiler, against the
// Node-API headers of the node-api-headers package, else those Node installs beside itself: no node-gyp, no python,
// no download. The addon is optional: without a compiler or headers this says why and exits 0, and the table
// readers fall back to pread.
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
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
  console.warn(`build-native: skipped (${process.platform === 'win32' ? 'no mmap addon on Windows' : 'no Node-API headers found'}); tables are read with pread`)
  process.exit(0)
}
mkdirSync('build', {recursive: true})
const cc = process.env.CC ?? 'cc'
try {
  execFileSync(cc, ['-O2', '-shared', '-fPIC', '-Wall', '-Werror', '-I', include, 'native/shmmap.c', '-o', 'build/shmmap.node'], {stdio: 'inherit'})
} catch (error) {
  console.warn(`build-native: ${cc} failed (${error.message.split('\n')[0]}); tables are read with pread`)
}
