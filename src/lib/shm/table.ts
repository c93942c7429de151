/**
 * A table file the forwarding plane shares (flow or bridge), opened read-only: mapped with the shmmap addon
 * (mmap PROT_READ, MAP_SHARED, as the stock tools map it), or read with pread when the addon is not built or not
 * wanted. Reads never go past the size the forwarding plane reported, and a file shorter than that size is refused
 * before anything is read (the stock tools would die of SIGBUS).
 */
import {closeSync, fstatSync, openSync, readSync, statSync} from 'node:fs'
import {ownAddon} from '../native/addon.js'

export type TableErrorKind = 'open' | 'truncated' | 'bad-size' | 'broken-chain' | 'bad-index'

/** A table that cannot be read or does not make sense: one line that says which file and why. */
export class TableError extends Error {
  override readonly name = 'TableError'
  constructor(
    readonly kind: TableErrorKind,
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`)
  }
}

export type AccessMode = 'auto' | 'mmap' | 'pread'

export interface TableBytes {
  readonly path: string
  /** Bytes of the table (what the forwarding plane reported). */
  readonly size: number
  readonly mapped: boolean
  /** `length` bytes at `offset`: a view of the mapping, or a fresh read. */
  read(offset: number, length: number): Uint8Array
  /**
   * The whole table in order, in chunks of whole entries: one view of the mapping, or successive reads into one
   * buffer (a chunk is valid until the next one is asked for).
   */
  chunks(entrySize: number): Generator<{readonly first: number; readonly bytes: Uint8Array}>
  close(): void
}

interface Shmmap {
  mapFd(fd: number, length: number): ArrayBuffer
}

let addon: Shmmap | null | undefined
let addonProblem = ''
/**
 * The addon, if it was built (`npm run build` does, when a C compiler and the Node-API headers are there), from
 * sources or inside the single binary.
 */
export function shmmap(): Shmmap | undefined {
  if (addon === undefined) {
    try {
      addon = ownAddon<Shmmap>('shmmap')
    } catch (error) {
      addon = null
      addonProblem = (error as Error).message.split('\n')[0]
    }
  }
  return addon ?? undefined
}

/** Why tables are read with pread instead of mapped (undefined when the addon is there). */
export function addonNotice(): string | undefined {
  return shmmap() ? undefined : `the mmap addon is not available (${addonProblem}): the table is read with pread`
}

/** Bytes read per pread: 16,384 entries of 256 bytes (what one 4 MiB hugepage holds). */
const CHUNK_BYTES = 4 << 20

const describe = (error: NodeJS.ErrnoException) => {
  // "ENOENT: no such file or directory, open '/x'" → "No such file or directory", as strerror says it.
  const text = error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The size of a copied table file, as the size of its table (1 when it cannot be read: openTable then says why). */
export function tableFileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 1
  }
}

/** Opens a table of `size` bytes at `path`; a TableError when it cannot be opened, mapped or is too short. */
export function openTable(path: string, size: number, mode: AccessMode = 'auto'): TableBytes {
  if (!Number.isSafeInteger(size) || size <= 0) throw new TableError('bad-size', path, `the forwarding plane reports a table of ${size} bytes`)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    throw new TableError('open', path, describe(error as NodeJS.ErrnoException))
  }
  try {
    const stat = fstatSync(fd)
    if (stat.isFile() && stat.size < size) {
      throw new TableError('truncated', path, `the file has ${stat.size} bytes, but the forwarding plane reports a table of ${size} bytes (truncated?)`)
    }
    const native = mode === 'pread' ? undefined : shmmap()
    if (mode === 'mmap' && !native) throw new TableError('open', path, 'the mmap addon is not built (npm run build); use pread')
    if (native) {
      let buffer: ArrayBuffer
      try {
        buffer = native.mapFd(fd, size)
      } catch (error) {
        throw new TableError('open', path, (error as Error).message)
      }
      closeSync(fd)
      return mappedTable(path, new Uint8Array(buffer))
    }
    return preadTable(path, fd, size)
  } catch (error) {
    try {
      closeSync(fd)
    } catch {
      // Already closed once mapped.
    }
    throw error
  }
}

function mappedTable(path: string, bytes: Uint8Array): TableBytes {
  return {
    path,
    size: bytes.length,
    mapped: true,
    read: (offset, length) => bytes.subarray(offset, offset + length),
    *chunks() {
      yield {first: 0, bytes}
    },
    close() {
      // The mapping goes with the ArrayBuffer.
    },
  }
}

function preadTable(path: string, fd: number, size: number): TableBytes {
  let open = true
  const readAt = (target: Uint8Array, offset: number) => {
    let done = 0
    while (done < target.length) {
      const n = readSync(fd, target, done, target.length - done, offset + done)
      // The file shrank under us: what is missing reads as zeros.
      if (n === 0) break
      done += n
    }
  }
  return {
    path,
    size,
    mapped: false,
    read(offset, length) {
      const bytes = new Uint8Array(length)
      readAt(bytes, offset)
      return bytes
    },
    *chunks(entrySize) {
      const per = Math.max(1, Math.floor(CHUNK_BYTES / entrySize)) * entrySize
      const buffer = new Uint8Array(Math.min(per, size))
      for (let offset = 0; offset < size; offset += per) {
        const bytes = buffer.subarray(0, Math.min(per, size - offset))
        bytes.fill(0)
        readAt(bytes, offset)
        yield {first: offset / entrySize, bytes}
      }
    },
    close() {
      if (open) closeSync(fd)
      open = false
    },
  }
}

/** The objects of the forwarding plane's memory device: its minor number and the node the stock tools create. */
export const TABLE_DEVICES = {flow: {minor: 0, path: '/dev/flow'}, bridge: {minor: 1, path: '/dev/vr_bridge'}} as const

/**
 * Where a table is, as the stock tools find it (utils/unix_util.c): the path of the table-data reply (DPDK, the
 * emulator), else the memory device node of a kernel vRouter, which they create with mknod(major, minor) — that
 * needs root, and this tool does not do it: it says how.
 */
export function tablePath(object: keyof typeof TABLE_DEVICES, filePath: string, major: number): string {
  if (filePath !== '') return filePath
  const device = TABLE_DEVICES[object]
  try {
    if (statSync(device.path).isCharacterDevice()) return device.path
  } catch {
    // Not there yet.
  }
  throw new TableError('open', device.path, `No such file or directory (the stock tools create it as root: mknod ${device.path} c ${major} ${device.minor})`)
}
