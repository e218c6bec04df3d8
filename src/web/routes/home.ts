// The dashboard and the profile pages: who has which tables.
import { Hono } from 'hono'
import { findUserByUsername } from '../../auth/users.js'
import { listTables } from '../../datasource/catalog.js'
import type { TableInfo } from '../../datasource/types.js'
import type { AppEnv } from '../env.js'
import { isPlausibleName, notFoundError } from '../load-table.js'
import { renderPage, wantsJson } from '../render.js'
import { absoluteUrl, tableUrl, userUrl } from '../urls.js'
import { formatCount } from '../views/table-view.js'

export const homeRoutes = new Hono<AppEnv>()

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
})

function tableCard(table: TableInfo) {
  return {
    name: table.name,
    description: table.description,
    url: tableUrl(table.owner.username, table.slug),
    owner: table.owner.username,
    ownerUrl: userUrl(table.owner.username),
    isPublic: table.isPublic,
    rows: `${formatCount(table.rowCount)} ${table.rowCount === 1 ? 'row' : 'rows'}`,
    columns: table.columns.length,
    updated: dateFormat.format(table.updatedAt),
  }
}

homeRoutes.get('/', async (c) => {
  const viewer = c.get('viewer')
  const db = c.get('database').db
  const all = await listTables(db, { viewerId: viewer?.id ?? null, limit: 200 })
  // The viewer's own tables come first, then public tables by others.
  const mine = viewer ? all.filter((table) => table.owner.id === viewer.id) : []
  const others = all.filter((table) => table.owner.id !== viewer?.id)
  return renderPage(c, 'home', {
    title: 'HostedAPI',
    mine: mine.map(tableCard),
    others: others.map(tableCard),
  })
})

homeRoutes.get('/:username', async (c) => {
  const db = c.get('database').db
  const username = c.req.param('username')
  const user = isPlausibleName(username) ? await findUserByUsername(db, username) : null
  if (!user) throw notFoundError('This user')
  const viewer = c.get('viewer')
  const tables = await listTables(db, { ownerId: user.id, viewerId: viewer?.id ?? null })
  if (wantsJson(c)) {
    return c.json({
      username: user.username,
      name: user.name,
      avatar_url: user.avatar_url,
      tables: tables.map((table) => ({
        name: table.name,
        slug: table.slug,
        url: absoluteUrl(c, tableUrl(user.username, table.slug)),
        rows: table.rowCount,
        updated_at: table.updatedAt.toISOString(),
      })),
    })
  }
  return renderPage(c, 'profile', {
    title: user.name ?? user.username,
    profile: { username: user.username, name: user.name, avatarUrl: user.avatar_url },
    isOwner: viewer?.id === user.id,
    newTableUrl: `${userUrl(user.username)}/tables/new`,
    importUrl: `${userUrl(user.username)}/tables/import`,
    notice: c.req.query('deleted') ? `Deleted the table “${c.req.query('deleted')}”.` : null,
    tables: tables.map(tableCard),
  })
})
