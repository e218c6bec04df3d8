// File and Image: one uploaded file per cell. The cell stores a small jsonb reference (storage key,
// name, sniffed type, size; for images the size in pixels and the thumbnail's key). Values are
// never typed in: they come from an upload (see src/application/files.ts); a cell may be cleared.
import { sql } from 'kysely'
import * as v from 'valibot'
import { type ColumnTypeDefinition, fail } from './definition.js'
import { asText } from './sql-rules.js'

export const FILE_TYPES = ['file', 'image'] as const
export const isFileType = (type: string) => (FILE_TYPES as readonly string[]).includes(type)

const UPLOAD_ONLY = 'Files are uploaded, not typed: use the row form or the API’s file route'

// What a reader sees of a reference: never the storage keys (the adapters add download URLs).
function publicFile(text: string): unknown {
  const ref = JSON.parse(text) as Record<string, unknown>
  return {
    name: ref.name,
    type: ref.type,
    size: ref.size,
    ...(ref.width === undefined ? {} : { width: ref.width, height: ref.height }),
  }
}

const fileDefinition = (label: string): ColumnTypeDefinition => ({
  label,
  postgres: 'jsonb',
  maxLength: null,
  trims: false,
  typeMessage: UPLOAD_ONLY,
  parse: () => fail(UPLOAD_ONLY),
  typedStrings: 'text',
  // Only null (which clears the cell) is accepted in a row body.
  typedSchema: v.null(),
  readSql: asText,
  toJson: publicFile,
  // By file name, which an index can hold whole (names are at most 200 characters).
  sortSql: (column) => sql`(${column} ->> 'name')`,
  sortType: 'text',
  searchable: false,
  checkSql: () => null,
  checkMessage: null,
  // No text converts into a file: only blank cells (and so empty columns) could.
  acceptsSql: () => sql<boolean>`false`,
  convertSql: () => sql`null::jsonb`,
})

export const file = fileDefinition('File')
export const image = fileDefinition('Image')
