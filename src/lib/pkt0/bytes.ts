/** Byte helpers of the pkt0 codec: hex, addresses as text and back, the Internet checksum. */
import {EncodeError} from '../errors.js'
import {formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac} from '../model/addresses.js'

const HEX = Array.from({length: 256}, (_, b) => b.toString(16).padStart(2, '0'))

export function hex(bytes: Uint8Array): string {
  let out = ''
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]]
  return out
}

/** Bytes of a hex string (the codec's own byte fields: even length, no separators). */
export function unhex(text: string, path: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/i.test(text)) throw new EncodeError(path, `${JSON.stringify(text)} is not hex bytes`)
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function macText(bytes: Uint8Array, at: number): string {
  return formatMac(bytes.subarray(at, at + 6))
}

export function ipv4Text(bytes: Uint8Array, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`
}

export function ipv6Text(bytes: Uint8Array, at: number): string {
  return formatIpv6(bytes.subarray(at, at + 16))
}

export function macBytes(text: string, path: string): Uint8Array {
  const mac = parseMac(text)
  if (!mac) throw new EncodeError(path, `${JSON.stringify(text)} is not a MAC address`)
  return mac
}

export function ipv4Bytes(text: string, path: string): Uint8Array {
  const ip = parseIpv4(text)
  if (!ip) throw new EncodeError(path, `${JSON.stringify(text)} is not an IPv4 address`)
  return ip
}

export function ipv6Bytes(text: string, path: string): Uint8Array {
  const ip = parseIpv6(text)
  if (!ip) throw new EncodeError(path, `${JSON.stringify(text)} is not an IPv6 address`)
  return ip
}

/** A value that must fit `bits` unsigned bits. */
export function checkUint(value: number, bits: number, path: string): number {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) throw new EncodeError(path, `${value} is not an unsigned ${bits}-bit integer`)
  return value
}

/** The one's-complement sum of 16-bit words (RFC 1071), not yet complemented, continuing from `sum`. */
export function onesSum(bytes: Uint8Array, start: number, end: number, sum = 0): number {
  let i = start
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1]
  if (i < end) sum += bytes[i] << 8
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16)
  return sum
}

export function checksum(sum: number): number {
  return ~sum & 0xffff
}
