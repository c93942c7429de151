/**
 * A table the emulated forwarding plane shares with the tools, as a file in the real byte layout (what a DPDK
 * vRouter started with --no-huge keeps in <sockdir>/flow.shmem and bridge.shmem): N main and O overflow entries,
 * every unused one as the table code leaves it (its own index, no chain; overflow entries on the free list), so that
 * the stock `flow -l` and `rt --dump --family bridge` accept it. The file is created on first use and written in
 * place (pwrite) as the state changes; readers map it and see each change at once. An entry's fields are written
 * before its flags (one write of the whole entry), as the forwarding plane orders them.
 */
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {HENTRY_FLAG} from '../../lib/model/flow.js'
import {type Layout, encodeEntry, writeUnusedEntry} from '../../lib/shm/layout.js'

/** Where an emulator's table files go: a directory given (the socket's), or a temporary one removed at exit. */
export class TableDirectory {
  private made: string | undefined
  private readonly files = new Set<string>()
  private readonly open = new Set<{close(): void}>()

  constructor(public dir?: string) {}

  /** A new file's path (removed again by remove()). */
  path(name: string, owner: {close(): void}): string {
    if (this.dir === undefined) {
      this.made = mkdtempSync(join(tmpdir(), 'vrouter-emu-tables-'))
      this.dir = this.made
      const made = this.made
      process.once('exit', () => rmSync(made, {recursive: true, force: true}))
    }
    const path = join(this.dir, name)
    this.files.add(path)
    this.open.add(owner)
    return path
  }

  /** Closes and removes the files made here (the emulator stops). */
  remove(): void {
    for (const owner of this.open) owner.close()
    for (const file of this.files) rmSync(file, {force: true})
    if (this.made) rmSync(this.made, {recursive: true, force: true})
    this.open.clear()
    this.files.clear()
  }
}

/** Bytes written per write while the file is laid out. */
const CHUNK_ENTRIES = 16384

export class SharedTableFile<E> {
  private fd: number | undefined
  private path: string | undefined
  private readonly scratch: Uint8Array

  constructor(
    private readonly directory: TableDirectory,
    private readonly name: string,
    readonly layout: Layout<E>,
    readonly mainEntries: number,
    readonly overflowEntries: number,
    /** The entries to write once the file exists: every occupied slot and every chain link. */
    private readonly current: () => Iterable<number>,
    /** The bytes of slot `index` as the state has it. */
    private readonly render: (index: number, bytes: Uint8Array) => void,
  ) {
    this.scratch = new Uint8Array(layout.size)
  }

  get size(): number {
    return (this.mainEntries + this.overflowEntries) * this.layout.size
  }

  /** The file's path, laying the file out first if it does not exist yet. */
  open(): string {
    if (this.path !== undefined) return this.path
    const path = this.directory.path(this.name, this)
    const fd = openSync(path, 'w+', 0o644)
    const entries = this.mainEntries + this.overflowEntries
    const chunk = new Uint8Array(Math.min(CHUNK_ENTRIES, entries) * this.layout.size)
    for (let first = 0; first < entries; first += CHUNK_ENTRIES) {
      const count = Math.min(CHUNK_ENTRIES, entries - first)
      chunk.fill(0)
      for (let i = 0; i < count; i++) {
        const index = first + i
        writeUnusedEntry(chunk, i * this.layout.size, index, index >= this.mainEntries ? HENTRY_FLAG.IN_FREE_LIST : 0)
      }
      writeSync(fd, chunk, 0, count * this.layout.size, first * this.layout.size)
    }
    this.fd = fd
    this.path = path
    for (const index of this.current()) this.write(index)
    return path
  }

  /** Writes slot `index` as the state has it (nothing before the file exists: open() writes everything then). */
  write(index: number): void {
    if (this.fd === undefined) return
    this.scratch.fill(0)
    this.render(index, this.scratch)
    writeSync(this.fd, this.scratch, 0, this.scratch.length, index * this.layout.size)
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }

  /** Encodes `entry` into `bytes` (for render callbacks). */
  encode(entry: E, bytes: Uint8Array): void {
    encodeEntry(this.layout, entry, bytes, 0)
  }
}
