// The row form: one field per column, with an input that suits its type.
import type { LinkPicker } from '../../application/links.js'
import { isFileType } from '../../datasource/file-cells.js'
import { isLinkList, MAX_LINKS_PER_CELL } from '../../datasource/link-lists.js'
import type { ColumnInfo, Row, TableInfo } from '../../datasource/types.js'
import { fileUrl } from '../../lib/paths.js'
import { fileView } from './file-view.js'

const INPUTS: Record<
  ColumnInfo['type'],
  {
    control: 'input' | 'textarea' | 'select' | 'file'
    type?: string
    inputmode?: string
    hint?: string
    accept?: string
  }
> = {
  text: { control: 'input', type: 'text' },
  long_text: { control: 'textarea' },
  integer: { control: 'input', type: 'text', inputmode: 'numeric', hint: 'A whole number' },
  decimal: { control: 'input', type: 'text', inputmode: 'decimal', hint: 'A number' },
  boolean: { control: 'select' },
  date: { control: 'input', type: 'date', hint: 'YYYY-MM-DD' },
  datetime: { control: 'input', type: 'datetime-local', hint: 'Date and time, UTC' },
  choice: { control: 'select' },
  email: { control: 'input', type: 'email' },
  url: { control: 'input', type: 'url', hint: 'Starting with https://' },
  json: { control: 'textarea', hint: 'Any JSON value' },
  file: { control: 'file', hint: 'Any file, up to 25 MB' },
  image: {
    control: 'file',
    accept: 'image/jpeg,image/png,image/webp,image/gif,image/avif',
    hint: 'JPEG, PNG, WebP, GIF or AVIF, up to 25 MB',
  },
  link: { control: 'input', type: 'text', inputmode: 'numeric', hint: 'The id of the linked row' },
}

// Stored values as a form shows them (datetime-local takes no seconds or zone).
export function formValues(table: TableInfo, row: Row): Record<string, string> {
  return Object.fromEntries(
    table.columns.map((column, index) => {
      if (isLinkList(column)) return [column.slug, linkListText(row, index)]
      const text = row.cells[index] ?? ''
      return [column.slug, column.type === 'datetime' ? text.replace(/:\d{2}Z$/, '') : text]
    }),
  )
}

// Several links: the ids in a text field, in order, separated by commas (no script needed).
const linkListText = (row: Row, index: number) =>
  (row.linkLists?.[index]?.links ?? []).map((link) => link.id).join(', ')

function linkListField(column: ColumnInfo) {
  if (!isLinkList(column)) return {}
  return {
    control: 'input' as const,
    type: 'text',
    inputmode: 'text',
    hint: `Ids of the linked rows, in order, separated by commas (at most ${MAX_LINKS_PER_CELL.toLocaleString('en-GB')})`,
  }
}

// A file field uploads (or removes) through forms of its own, so it needs the saved row.
function fileField(table: TableInfo, column: ColumnInfo, row: Row | null) {
  if (!isFileType(column.type)) return {}
  const index = table.columns.indexOf(column)
  const url = row ? fileUrl(table.owner.username, table.slug, row.id, column.slug) : null
  return {
    file: row ? fileView(table, row, index) : null,
    uploadUrl: url,
    removeUrl: url && `${url}/delete`,
    formId: `file-${column.slug}`,
  }
}

// A link field: a select of the target's rows, or the id field with search as you type.
function linkField(picker: LinkPicker | undefined) {
  if (!picker) return {}
  if (picker.kind === 'select') return { control: 'select' as const, options: picker.options }
  return {
    searchUrl: picker.searchUrl,
    hint:
      picker.current === null
        ? INPUTS.link.hint
        : `The id of the linked row, now “${picker.current}”`,
  }
}

export function rowFormFields(
  table: TableInfo,
  values: Record<string, string>,
  errors: Record<string, string>,
  row: Row | null = null,
  pickers: ReadonlyMap<string, LinkPicker> = new Map(),
) {
  return table.columns.map((column) => {
    const input = INPUTS[column.type]
    const options =
      column.type === 'boolean'
        ? [
            { value: '', label: '—' },
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]
        : column.type === 'choice'
          ? [
              { value: '', label: '—' },
              ...(column.choices ?? []).map((choice) => ({ value: choice, label: choice })),
            ]
          : []
    return {
      name: column.name,
      slug: column.slug,
      id: `field-${column.slug}`,
      ...input,
      hint: input.hint ?? null,
      required: column.required,
      value: values[column.slug] ?? '',
      error: errors[column.slug] ?? null,
      options,
      accept: input.accept ?? null,
      searchUrl: null as string | null,
      ...fileField(table, column, row),
      ...linkListField(column),
      ...linkField(pickers.get(column.slug)),
    }
  })
}
