// The JSON Schema of a table's row values, column by column, for its OpenAPI document.
import type { TableInfo } from '../datasource/types.js'

export function rowValuesJsonSchema(table: TableInfo): object {
  return { type: 'object', properties: Object.fromEntries(table.columns.map((c) => [c.slug, {}])) }
}
