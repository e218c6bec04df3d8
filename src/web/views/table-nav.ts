// The tabs under a table's title: rows, columns, settings and import for its owner.
import type { TableInfo } from '../../datasource/types.js'
import { tableUrl, userUrl } from '../urls.js'

export type TableTab = 'rows' | 'columns' | 'settings' | 'import' | null

export function tableNav(table: TableInfo, current: TableTab) {
  const base = tableUrl(table.owner.username, table.slug)
  return {
    name: table.name,
    isPublic: table.isPublic,
    breadcrumbs: [
      { label: table.owner.username, url: userUrl(table.owner.username) },
      { label: table.name, url: current === 'rows' ? null : base },
    ],
    tabs: [
      { label: 'Rows', url: base, current: current === 'rows' },
      { label: 'Columns', url: `${base}/columns`, current: current === 'columns' },
      { label: 'Import CSV', url: `${base}/import`, current: current === 'import' },
      { label: 'Settings', url: `${base}/settings`, current: current === 'settings' },
    ],
  }
}
