/**
 * Loading the native addons: from `build/<name>.node` when running from sources (scripts/build-native.mjs builds
 * them), or, inside the single binary, from its assets — written once to the temporary directory under a name that
 * carries their checksum, then loaded from there (a process can only dlopen a file).
 */
import {createHash} from 'node:crypto'
import {existsSync, renameSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

interface Sea {
  isSea(): boolean
  getRawAsset(key: string): ArrayBuffer
}

/** The single binary's assets, or undefined when not running as one. */
function sea(): Sea | undefined {
  const module = process.getBuiltinModule?.('node:sea') as Sea | undefined
  return module?.isSea() ? module : undefined
}

/** Loads the asset `asset` of the single binary as an addon (undefined when not running as one). */
export function addonInBinary<T>(asset: string): T | undefined {
  const binary = sea()
  if (!binary) return undefined
  const bytes = new Uint8Array(binary.getRawAsset(asset))
  const file = join(tmpdir(), `vrouter-utils-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.node`)
  if (!existsSync(file)) {
    // Written under another name first, so that a concurrent run never loads a half-written file.
    const partial = `${file}.${process.pid}`
    writeFileSync(partial, bytes, {mode: 0o755})
    renameSync(partial, file)
  }
  const module = {exports: {}}
  process.dlopen(module, file)
  return module.exports as T
}

/** One of our own addons (native/<name>.c): the binary's asset `<name>.node`, else build/<name>.node. */
export function ownAddon<T>(name: string): T {
  return addonInBinary<T>(`${name}.node`) ?? (createRequire(import.meta.url)(`../../../build/${name}.node`) as T)
}
