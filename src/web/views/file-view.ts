// A file cell as the pages show it: a thumbnail (images) or a chip with the name, type and size.
import { isFileType, readFileRef } from '../../datasource/file-cells.js'
import type { Row, TableInfo } from '../../datasource/types.js'
import { fileUrl } from '../../lib/paths.js'

export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function fileView(table: TableInfo, row: Row, index: number) {
  const column = table.columns[index]
  if (!column || !isFileType(column.type)) return null
  const ref = readFileRef(row.cells[index] ?? null)
  if (!ref) return null
  const url = fileUrl(table.owner.username, table.slug, row.id, column.slug)
  return {
    name: ref.name,
    type: ref.type,
    size: formatFileSize(ref.size),
    url,
    thumbnailUrl: ref.thumbnail ? `${url}/thumbnail` : null,
    width: ref.width ?? null,
    height: ref.height ?? null,
  }
}
