/** if_indextoname() and if_nametoindex() of the local host (what the stock `vif` uses on the kernel platform), from /sys/class/net. */
import {readFileSync, readdirSync} from 'node:fs'

let names: Map<number, string> | undefined

export function interfaceName(index: number): string | undefined {
  if (!names) {
    names = new Map()
    try {
      for (const name of readdirSync('/sys/class/net')) {
        try {
          names.set(Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim()), name)
        } catch {
          // An interface that went away while reading.
        }
      }
    } catch {
      // No /sys (not Linux): no names.
    }
  }
  return names.get(index)
}

/** if_nametoindex(): 0 for a name the host does not have. */
export function interfaceIndex(name: string): number {
  if (name === '' || name.includes('/') || name.startsWith('.')) return 0
  try {
    return Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim()) || 0
  } catch {
    return 0
  }
}
