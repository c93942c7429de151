/**
 * Addresses as operators write them and as the vRouter carries them: MACs, IPv4 and IPv6 addresses as bytes, IPv4
 * addresses kept in network order inside little-endian host integers (their wire octets appear reversed), and ports
 * likewise. Parsers return undefined for text that is not one.
 */

export function formatMac(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(':')
}

export function parseMac(text: string): Uint8Array | undefined {
  const m = text.trim().match(/^([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})$/i)
  return m ? Uint8Array.from(m.slice(1), (h) => parseInt(h, 16)) : undefined
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.trim().split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined
  return Uint8Array.from(parts, Number)
}

export function parseIpv6(text: string): Uint8Array | undefined {
  const t = text.trim()
  if (!/^[0-9a-f:.]+$/i.test(t) || (t.match(/::/g) ?? []).length > 1) return undefined
  const [head, tail] = t.includes('::') ? t.split('::') : [t, undefined]
  const words = (s: string | undefined): number[] | undefined => {
    if (!s) return []
    const out: number[] = []
    for (const part of s.split(':')) {
      if (part.includes('.')) {
        const v4 = parseIpv4(part)
        if (!v4) return undefined
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3])
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        out.push(parseInt(part, 16))
      } else {
        return undefined
      }
    }
    return out
  }
  const h = words(head)
  const tl = words(tail)
  if (!h || !tl) return undefined
  const fill = tail === undefined ? 0 : 8 - h.length - tl.length
  if (fill < 0 || (tail === undefined && h.length !== 8) || (tail !== undefined && fill < 1)) return undefined
  const all = [...h, ...Array(fill).fill(0), ...tl]
  const out = new Uint8Array(16)
  all.forEach((w, i) => {
    out[2 * i] = w >> 8
    out[2 * i + 1] = w & 0xff
  })
  return out
}

/** An IPv4 or IPv6 address as bytes. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text)
}

/** A network: an address and how many of its leading bits count. */
export interface Network {
  readonly address: Uint8Array
  readonly length: number
}

/** `A/L` (IPv4 or IPv6; L at most the address's bits), or undefined. */
export function parseNetwork(text: string): Network | undefined {
  const [address, length, ...rest] = text.split('/')
  const bytes = parseIp(address)
  if (!bytes || rest.length > 0 || length === undefined || !/^\d{1,3}$/.test(length.trim())) return undefined
  const bits = Number(length)
  return bits <= bytes.length * 8 ? {address: bytes, length: bits} : undefined
}

/** Whether prefix/length lies inside the network: as long as the network's or longer, and the same leading bits. */
export function insideNetwork(prefix: ArrayLike<number>, length: number, network: Network): boolean {
  if (prefix.length !== network.address.length || length < network.length) return false
  const whole = network.length >> 3
  for (let i = 0; i < whole; i++) if (prefix[i] !== network.address[i]) return false
  const rest = network.length & 7
  return rest === 0 || ((prefix[whole] ^ network.address[whole]) & (0xff << (8 - rest)) & 0xff) === 0
}

export function formatIpv6(bytes: ArrayLike<number>): string {
  // The longest run of two or more zero groups becomes "::" (RFC 5952; the first of equally long runs).
  let bestAt = -1
  let bestLength = 1
  for (let i = 0; i < 8; ) {
    let j = i
    while (j < 8 && bytes[2 * j] === 0 && bytes[2 * j + 1] === 0) j++
    if (j - i > bestLength) {
      bestAt = i
      bestLength = j - i
    }
    i = j === i ? i + 1 : j
  }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      out += '::'
      i += bestLength - 1
      continue
    }
    if (i > 0 && i !== bestAt + bestLength) out += ':'
    out += ((bytes[2 * i] << 8) | bytes[2 * i + 1]).toString(16)
  }
  return out
}

/** Bytes of an address as text: dotted IPv4, IPv6, or hex bytes for other lengths. */
export function formatIp(bytes: ArrayLike<number>): string {
  if (bytes.length === 4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`
  if (bytes.length === 16) return formatIpv6(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')
}

/** The host integer holding an IPv4 address in network order (s_addr on a little-endian host). */
export function ipv4ToHostInteger(bytes: ArrayLike<number>): number {
  return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0
}

export function hostIntegerToIpv4(value: number): string {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24].join('.')
}

/** A port (or any u16) kept in network order inside a host integer: its bytes swapped. */
export function swap16(value: number): number {
  return ((value & 0xff) << 8) | ((value >>> 8) & 0xff)
}

/** The 8 memory bytes of a host (little-endian) u64 that holds a copy of address bytes. */
export function u64MemoryBytes(value: number | bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true)
  return out
}

/** The host u64 whose memory bytes are `bytes` (8 address bytes copied into an integer). */
export function u64FromMemoryBytes(bytes: ArrayLike<number>): number | bigint {
  const lo = (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0
  const hi = (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0
  return hi < 0x200000 ? hi * 2 ** 32 + lo : (BigInt(hi) << 32n) | BigInt(lo)
}

/**
 * An IPv6 address as glibc's inet_ntop writes it (what the stock tools print): RFC 5952 zero compression, but a
 * trailing dotted quad for IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible addresses (::a.b.c.d, except ::1 and
 * other values that fit in the last group).
 */
export function inetNtop6(bytes: ArrayLike<number>): string {
  let zeroBytes = 0
  while (zeroBytes < 12 && bytes[zeroBytes] === 0) zeroBytes++
  const quad = () => `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`
  if (zeroBytes >= 10 && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${quad()}`
  if (zeroBytes === 12 && (bytes[12] !== 0 || bytes[13] !== 0)) return `::${quad()}`
  return formatIpv6(bytes)
}

const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r'])
const hexDigit = (c: string | undefined) => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : undefined)

/**
 * A MAC address as glibc's ether_aton reads it (what the stock tools accept): six groups of one or two hex digits
 * separated by ':'; after the sixth group, anything may follow two digits, and only the end or a space one digit.
 */
export function etherAton(text: string): Uint8Array | undefined {
  const out = new Uint8Array(6)
  let at = 0
  for (let group = 0; group < 6; group++) {
    let value = hexDigit(text[at++])
    if (value === undefined) return undefined
    const next = text[at]
    const last = group === 5
    if ((!last && next !== ':') || (last && next !== undefined && !C_SPACE.has(next))) {
      const low = hexDigit(next)
      if (low === undefined) return undefined
      value = value * 16 + low
      at++
      if (!last && text[at] !== ':') return undefined
    }
    out[group] = value
    at++
  }
  return out
}

/**
 * An IPv4 address as glibc's inet_aton reads it: one to four parts, each decimal, octal (0…) or hex (0x…), the last
 * filling the remaining bytes (`10.1` = 10.0.0.1); the end or a space after it. The address bytes, or undefined.
 */
export function inetAton(text: string): Uint8Array | undefined {
  const parts: number[] = []
  let at = 0
  let value: number
  for (;;) {
    if (!/^[0-9]$/.test(text[at] ?? '')) return undefined
    let base = 10
    let digits = false
    if (text[at] === '0') {
      at++
      if (text[at] === 'x' || text[at] === 'X') {
        base = 16
        at++
      } else {
        base = 8
        digits = true
      }
    }
    value = 0
    for (;;) {
      const c = text[at]
      let digit: number
      if (c !== undefined && /^[0-9]$/.test(c)) {
        digit = Number(c)
        if (base === 8 && digit > 7) return undefined
      } else if (base === 16 && hexDigit(c) !== undefined) {
        digit = hexDigit(c)!
      } else {
        break
      }
      value = value * base + digit
      // Past 32 bits the address cannot be valid whatever follows.
      if (value > 0xffffffff) return undefined
      digits = true
      at++
    }
    if (!digits) return undefined
    if (text[at] !== '.') break
    if (parts.length > 2 || value > 0xff) return undefined
    parts.push(value)
    at++
  }
  if (at < text.length && !C_SPACE.has(text[at])) return undefined
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][parts.length]
  if (value > max) return undefined
  const out = new Uint8Array(4)
  parts.forEach((p, i) => (out[i] = p))
  const rest = 4 - parts.length
  for (let i = 0; i < rest; i++) out[3 - i] = Math.floor(value / 2 ** (8 * i)) & 0xff
  return out
}
