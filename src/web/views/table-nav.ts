// The tabs under a table's title: rows and API for all; columns, import and settings for its owner.
import type { TableInfo } from '../../datasource/types.js'
import { tableUrl, userUrl } from '../urls.js'

export type TableTab = 'rows' | 'columns' | 'settings' | 'import' | 'api' | null

// Visitors see the rows and the API; the owner also sees the tabs that change the table.
export function tableNav(table: TableInfo, current: TableTab, isOwner = true) {
  const base = tableUrl(table.owner.username, table.slug)
  return {
    name: table.name,
    isPublic: table.isPublic,
    breadcrumbs: [
      { label: table.owner.username, url: userUrl(table.owner.username) },
      { label: table.name, url: current === 'rows' ? null : base },
    ],
    tabs: [
      { label: 'Rows', url: base, current: current === 'rows', public: true },
      { label: 'Columns', url: `${base}/columns`, current: current === 'columns' },
      { label: 'Import CSV', url: `${base}/import`, current: current === 'import' },
      { label: 'Settings', url: `${base}/settings`, current: current === 'settings' },
      { label: 'API', url: `${base}/api`, current: current === 'api', public: true },
    ].filter((tab) => isOwner || tab.public),
  }
}
