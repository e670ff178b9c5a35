/**
 * The JSON code units wicker's byte scanners compare with (canon/usable-scan.ts, canon/reindent.ts,
 * store/read-json.ts's quick readable check; all ASCII). Imports nothing, so the canon worker thread
 * that runs usable-scan.ts loads nothing else.
 */
export const QUOTE = 0x22
export const BACKSLASH = 0x5c
export const COLON = 0x3a
export const COMMA = 0x2c
export const OPEN_OBJECT = 0x7b
export const CLOSE_OBJECT = 0x7d
export const OPEN_ARRAY = 0x5b
export const CLOSE_ARRAY = 0x5d

/** White space between JSON tokens: space, LF, CR, tab (an undefined past the end is none). */
export const isJsonSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
