/**
 * vr_hash: the hash that places flow and bridge entries in their tables (Bob Jenkins' lookup3 "hashlittle" with the
 * Linux jhash convention for a 12-byte tail), and the bucket a key belongs to.
 */

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0

/** vr_hash(key, key.length, seed). */
export function vrHash(key: Uint8Array, seed = 0): number {
  let length = key.length
  let a = (0xdeadbeef + length + seed) >>> 0
  let b = a
  let c = a
  let p = 0
  const le32 = (i: number) => (key[i] | (key[i + 1] << 8) | (key[i + 2] << 16) | (key[i + 3] << 24)) >>> 0
  while (length > 12) {
    a = (a + le32(p)) >>> 0
    b = (b + le32(p + 4)) >>> 0
    c = (c + le32(p + 8)) >>> 0
    // mix(a, b, c)
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0
    p += 12
    length -= 12
  }
  if (length === 0) return c
  const tail = new Uint8Array(12)
  tail.set(key.subarray(p, p + length))
  const t = (i: number) => (tail[i] | (tail[i + 1] << 8) | (tail[i + 2] << 16) | (tail[i + 3] << 24)) >>> 0
  a = (a + t(0)) >>> 0
  b = (b + t(4)) >>> 0
  c = (c + t(8)) >>> 0
  // final(a, b, c)
  c = ((c ^ b) - rot(b, 14)) >>> 0
  a = ((a ^ c) - rot(c, 11)) >>> 0
  b = ((b ^ a) - rot(a, 25)) >>> 0
  c = ((c ^ b) - rot(b, 16)) >>> 0
  a = ((a ^ c) - rot(c, 4)) >>> 0
  b = ((b ^ a) - rot(a, 14)) >>> 0
  c = ((c ^ b) - rot(b, 24)) >>> 0
  return c
}

/** First of the 4 main slots of the bucket of `key` in a table of `mainEntries` main entries. */
export function bucketBase(key: Uint8Array, mainEntries: number): number {
  return (vrHash(key) % mainEntries) & ~3
}

/** The bridge table's key: the MAC, then the VRF as a little-endian u16. */
export function bridgeKey(mac: ArrayLike<number>, vrf: number): Uint8Array {
  const n = Math.min(mac.length, 6)
  const key = new Uint8Array(n + 2)
  for (let i = 0; i < n; i++) key[i] = mac[i]
  key[n] = vrf & 0xff
  key[n + 1] = (vrf >>> 8) & 0xff
  return key
}

/** Default overflow entries for a table of `mainEntries`: 20 %, rounded up to a multiple of 1024. */
export function defaultOverflow(mainEntries: number): number {
  return (Math.floor(mainEntries / 5) + 1023) & ~1023
}
