// Many rows in few statements: lists cut to fit under SQLite's and PostgreSQL's parameter limits, and the
// placeholders for them.

/** The list in consecutive pieces of at most `size`. */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let index = 0; index < list.length; index += size) pieces.push(list.slice(index, index + size));
  return pieces;
}

/** `count` placeholders for an IN list: "?, ?, ?". */
export const marks = (count: number) => Array.from({ length: count }, () => "?").join(", ");

/** `rows` tuples of `width` placeholders for a multi-row VALUES: "(?, ?), (?, ?)". */
export const tuples = (rows: number, width: number) => Array.from({ length: rows }, () => `(${marks(width)})`).join(", ");
