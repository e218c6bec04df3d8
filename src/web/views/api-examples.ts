// Copy-paste examples (curl and fetch) for a table's API tab, with its real address and columns.
import type { ColumnType } from '../../datasource/column-types.js'
import type { ColumnInfo, TableInfo } from '../../datasource/types.js'
import { apiRowsUrl, apiRowUrl, apiTableUrl } from '../../lib/paths.js'

const SAMPLES: Record<ColumnType, unknown> = {
  text: 'Example',
  long_text: 'A longer piece of text',
  integer: 42,
  decimal: 3.14,
  boolean: true,
  date: '2017-06-08',
  datetime: '2017-06-08T22:00:00Z',
  choice: null,
  email: 'ada@example.com',
  url: 'https://example.com',
  json: { key: 'value' },
  // Files are uploaded on their own route; null empties a cell.
  file: null,
  image: null,
  // The id of a row of the linked table.
  link: 1,
}

function sampleValue(column: ColumnInfo): unknown {
  if (column.type === 'choice') return column.choices?.[0] ?? null
  // Several links are written as an array of ids.
  return column.link?.many ? [SAMPLES.link] : SAMPLES[column.type]
}

export function sampleRow(table: TableInfo): Record<string, unknown> {
  return Object.fromEntries(table.columns.map((column) => [column.slug, sampleValue(column)]))
}

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

export function apiExamples(table: TableInfo, origin: string) {
  const owner = table.owner.username
  const rows = `${origin}${apiRowsUrl(owner, table.slug)}`
  const row = `${origin}${apiRowUrl(owner, table.slug, 1)}`
  const auth = '-H "Authorization: Bearer $HOSTEDAPI_TOKEN"'
  const readAuth = table.isPublic ? '' : ` \\\n  ${auth}`
  const body = JSON.stringify(sampleRow(table))
  const first = table.columns[0]
  const patch = JSON.stringify(first ? { [first.slug]: sampleRow(table)[first.slug] } : {})
  return {
    tableUrl: `${origin}${apiTableUrl(owner, table.slug)}`,
    openApiUrl: `${origin}${apiTableUrl(owner, table.slug)}/openapi.json`,
    docsUrl: `/api/docs?table=${encodeURIComponent(owner)}/${encodeURIComponent(table.slug)}`,
    curl: {
      list: `curl '${rows}?limit=10'${readAuth}`,
      schema: `curl '${origin}${apiTableUrl(owner, table.slug)}'${readAuth}`,
      create: `curl -X POST '${rows}' \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n  -d ${quote(body)}`,
      update: `curl -X PATCH '${row}' \\\n  ${auth} \\\n  -H 'Content-Type: application/json' \\\n  -H 'If-Match: "1"' \\\n  -d ${quote(patch)}`,
      remove: `curl -X DELETE '${row}' \\\n  ${auth}`,
      csv: `curl -X POST '${rows}' \\\n  ${auth} \\\n  -H 'Content-Type: text/csv' \\\n  --data-binary @rows.csv`,
    },
    fetch: `const response = await fetch('${rows}', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.HOSTEDAPI_TOKEN}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify(${body}),
})
if (!response.ok) throw new Error((await response.json()).detail)
const row = await response.json()`,
  }
}
