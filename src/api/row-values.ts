// The JSON Schema of one table's row values, column by column, from the schemas its column types
// accept (see typedSchema in datasource/column-type/): the row schema of its OpenAPI document.
import { toJsonSchema } from '@valibot/to-json-schema'
import { definitionOf } from '../datasource/column-types.js'
import { isFileType } from '../datasource/file-cells.js'
import { isLinkList, MAX_LINKS_PER_CELL } from '../datasource/link-lists.js'
import type { ColumnInfo, TableInfo } from '../datasource/types.js'

function columnJsonSchema(column: ColumnInfo): Record<string, unknown> {
  const definition = definitionOf(column.type)
  if (isFileType(column.type)) {
    return {
      anyOf: [{ $ref: '#/components/schemas/File' }, { type: 'null' }],
      description: `${column.name} (${definition.label}): read as the file; written only as null, which empties it (upload with PUT …/rows/{row}/files/${column.slug})`,
    }
  }
  if (isLinkList(column)) {
    return {
      anyOf: [
        {
          type: 'array',
          items: { type: 'integer', minimum: 1 },
          maxItems: MAX_LINKS_PER_CELL,
          uniqueItems: true,
        },
        { type: 'null' },
      ],
      description: `${column.name} (several links): written as an array of the linked rows’ ids, in order (null or [] removes them all; an id given twice is refused); read as an array of { id, display, url }`,
    }
  }
  const { $schema: _, ...schema } = toJsonSchema(definition.typedSchema, { errorMode: 'ignore' })
  const value = column.choices ? { ...schema, enum: column.choices } : schema
  const linkNote = column.link
    ? ': written as the linked row’s id, read as { id, display, url }'
    : ''
  const description = `${column.name} (${definition.label}${column.required ? ', required' : ''}${column.unique ? ', unique' : ''})${linkNote}`
  return column.required
    ? { ...value, description }
    : { anyOf: [value, { type: 'null' }], description }
}

export function rowValuesJsonSchema(table: TableInfo): object {
  return {
    type: 'object',
    properties: Object.fromEntries(
      table.columns.map((column) => [column.slug, columnJsonSchema(column)]),
    ),
    additionalProperties: false,
  }
}
