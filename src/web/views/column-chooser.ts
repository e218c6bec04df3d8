// Choosing the columns a table page shows: `_col` / `_nocol` links and a GET form of checkboxes,
// and for the owner a form that saves the choice as the table's default.
import type { ColumnInfo, TableInfo } from '../../datasource/types.js'
import { tableUrl } from '../urls.js'
import { stateParams, type TableState } from './table-state.js'

interface Visible {
  column: ColumnInfo
}

const slugs = (columns: readonly ColumnInfo[]) => columns.map((column) => column.slug).join(',')

// Hiding one column: out of `_col` when the address chose the columns, else into `_nocol`.
export function hideColumnUrl(
  table: TableInfo,
  state: TableState,
  visible: readonly Visible[],
  column: ColumnInfo,
): string {
  const params = stateParams(state)
  const choice = state.columnChoice
  const rest = visible.map((v) => v.column).filter((other) => other.id !== column.id)
  const change = choice.col
    ? { _col: slugs(rest), _nocol: '' }
    : { _nocol: [choice.nocol, column.slug].filter(Boolean).join(',') }
  return tableUrl(table.owner.username, table.slug, { ...params, ...change })
}

export function columnChooserView(
  table: TableInfo,
  state: TableState,
  visible: readonly Visible[],
  isOwner: boolean,
) {
  const { _col, _nocol, ...keep } = stateParams(state)
  const shown = new Set(visible.map((v) => v.column.id))
  const base = tableUrl(table.owner.username, table.slug)
  return {
    action: base,
    hidden: Object.entries(keep)
      .filter(([, value]) => value)
      .map(([name, value]) => ({ name, value: String(value) })),
    columns: table.columns.map((column) => ({
      slug: column.slug,
      name: column.name,
      checked: shown.has(column.id),
    })),
    chosen: Boolean(_col || _nocol),
    resetUrl: tableUrl(table.owner.username, table.slug, keep),
    // The owner saves what is shown now as the table's default set.
    saveUrl: isOwner ? `${base}/shown-columns` : null,
    shownSlugs: slugs(visible.map((v) => v.column)),
  }
}
