// An import refused: where in the file (its line, the column's name) when known, and why.
export class ImportError extends Error {
  constructor(
    readonly line: number | null,
    readonly column: string | null,
    readonly reason: string,
  ) {
    const where = [line === null ? null : `line ${line}`, column && `column “${column}”`]
    super([where.filter(Boolean).join(', '), reason].filter(Boolean).join(': '))
  }
}
