/** Integers as the stock tools print them. */
import type {Int64} from '../sandesh/types.js'

/** A 64-bit counter as C's `%lu` / `PRIu64` prints it (negative values wrap, as the C cast does). */
export function u64Text(value: Int64): string {
  return BigInt.asUintN(64, BigInt(value)).toString()
}

/** A 64-bit counter for JSON: a number while one is exact, else (beyond 2^53, or wrapped negative) decimal text. */
export function counterJson(value: Int64): number | string {
  return typeof value === 'bigint' || value < 0 ? u64Text(value) : value
}
