/**
 * One table of the error codes used by the codecs, the tools and the emulator, and the errno values the vRouter
 * reports in vr_response.resp_code. This module is a leaf: every layer may import it.
 */

/** Codes of errors found in bytes (Sandesh objects, netlink frames). Stable: scripts and tests match on them. */
export const DECODE_ERRORS = {
  TRUNCATED: 'the bytes end inside a value',
  BAD_NAME_LENGTH: 'an object name length is zero, negative or too long',
  UNKNOWN_OBJECT: 'an object name that the schema does not know',
  BAD_TYPE: 'a field type code that the Sandesh dialect does not have',
  BAD_LENGTH: 'a negative string or list length',
  LIST_TOO_LONG: 'a list or string longer than the bytes that remain',
  TOO_DEEP: 'nested structures deeper than the decoder follows',
  BAD_FRAME_LENGTH: 'a netlink length shorter than its header or longer than the frame limit',
  BAD_ATTRIBUTE: 'a netlink attribute length that does not fit its message',
  BAD_HEX: 'text that is not hexadecimal bytes',
  BAD_HEADER: 'a packet header field that no packet can have (a version, or a length shorter than its header)',
  BAD_CAPTURE: 'a capture file of a format or link type the reader does not know',
} as const

export type DecodeErrorCode = keyof typeof DECODE_ERRORS

/** Bytes that do not decode. `offset` is where, from the start of the input given to the decoder. */
export class DecodeError extends Error {
  readonly code: DecodeErrorCode
  readonly offset: number

  constructor(code: DecodeErrorCode, offset: number, detail?: string) {
    super(`${code} at offset ${offset}: ${detail ?? DECODE_ERRORS[code]}`)
    this.name = 'DecodeError'
    this.code = code
    this.offset = offset
  }

  /** The same error with its offset moved by `base` (when the input was part of a larger buffer). */
  rebase(base: number): DecodeError {
    return base === 0 ? this : new DecodeError(this.code, this.offset + base, this.message.replace(/^.*?: /, ''))
  }
}

/** A value that cannot be encoded (wrong type, out of range, unknown field or object). `path` says where. */
export class EncodeError extends Error {
  readonly code = 'BAD_VALUE'
  readonly path: string

  constructor(path: string, detail: string) {
    super(`${path}: ${detail}`)
    this.name = 'EncodeError'
    this.path = path
  }
}

/** errno values carried negated in resp_code. Linux numbering; the Windows port differs for two (see WINDOWS_ERRNO). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  E2BIG: 7,
  EBADF: 9,
  EACCES: 13,
  EFAULT: 14,
  ENOMEM: 12,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  EOPNOTSUPP: 95,
  ENETRESET: 102,
  ECONNREFUSED: 111,
} as const

export type ErrnoName = keyof typeof ERRNO

export const WINDOWS_ERRNO: Readonly<Record<ErrnoName, number>> = {...ERRNO, EOPNOTSUPP: 130, ENETRESET: 117}

/** strerror() texts of glibc, as the stock tools print them. */
export const STRERROR: Readonly<Record<ErrnoName, string>> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  E2BIG: 'Argument list too long',
  EBADF: 'Bad file descriptor',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  ENOMEM: 'Cannot allocate memory',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENOSPC: 'No space left on device',
  EOPNOTSUPP: 'Operation not supported',
  ENETRESET: 'Network dropped connection on reset',
  ECONNREFUSED: 'Connection refused',
}

/** The errno name of a positive errno value, if it is one the vRouter uses. */
export function errnoName(value: number, windows = false): ErrnoName | undefined {
  const table = windows ? WINDOWS_ERRNO : ERRNO
  return (Object.keys(table) as ErrnoName[]).find((name) => table[name] === value)
}

/** A negative resp_code from the forwarding plane: the operation failed with an errno. */
export class VrouterError extends Error {
  override readonly name = 'VrouterError'
  readonly code = 'VROUTER_ERROR'
  /** The positive errno (resp_code = -errno). */
  readonly errno: number
  readonly errnoName: ErrnoName | undefined

  constructor(respCode: number, windows = false) {
    const errno = -respCode
    const name = errnoName(errno, windows)
    super(`vRouter(Response): ${name ? STRERROR[name] : respCode === -1 ? 'Operation not permitted' : `Unknown error ${errno}`} (${errno})`)
    this.errno = errno
    this.errnoName = name
  }
}
