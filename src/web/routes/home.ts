// The dashboard and the profile pages: who has which tables, a page at a time.
import { Hono } from 'hono'
import { NotFoundError } from '../../application/errors.js'
import type { TableSummary } from '../../application/table-lists.js'
import { listTablePage } from '../../application/table-lists.js'
import { findUserByUsername } from '../../auth/users.js'
import { parsePage } from '../../lib/pagination.js'
import type { AppEnv } from '../env.js'
import { isPlausibleName } from '../load-table.js'
import { renderPage, wantsJson } from '../render.js'
import { absoluteUrl, tableUrl, userUrl } from '../urls.js'
import { listPageUrl, listPagination } from '../views/list-pagination.js'
import { formatCount } from '../views/table-view.js'

export const homeRoutes = new Hono<AppEnv>()

export const TABLES_PER_PAGE = 30
// The dashboard shows a signed-in user's newest few; the rest are on their profile.
export const DASHBOARD_OWN_TABLES = 6

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
})

function tableCard(table: TableSummary) {
  return {
    name: table.name,
    description: table.description,
    url: tableUrl(table.owner.username, table.slug),
    owner: table.owner.username,
    ownerUrl: userUrl(table.owner.username),
    isPublic: table.isPublic,
    rows: `${formatCount(table.rowCount)} ${table.rowCount === 1 ? 'row' : 'rows'}`,
    columns: table.columnCount,
    updated: dateFormat.format(table.updatedAt),
  }
}

homeRoutes.get('/', async (c) => {
  const viewer = c.get('viewer')
  const db = c.get('database').db
  // The viewer's own tables come first, then public tables by others, a page at a time.
  const mine = viewer
    ? await listTablePage(db, {
        ownerId: viewer.id,
        includePrivate: true,
        page: 1,
        perPage: DASHBOARD_OWN_TABLES,
      })
    : null
  const others = await listTablePage(db, {
    notOwnerId: viewer?.id,
    includePrivate: false,
    page: parsePage(c.req.query('page')),
    perPage: TABLES_PER_PAGE,
  })
  return renderPage(c, 'home', {
    title: 'HostedAPI',
    mine: mine?.tables.map(tableCard) ?? [],
    mineMore:
      mine && mine.total > mine.tables.length
        ? `All ${formatCount(mine.total)} of your tables`
        : null,
    profileUrl: viewer ? userUrl(viewer.username) : null,
    others: others.tables.map(tableCard),
    pagination: listPagination('/', others),
  })
})

homeRoutes.get('/:username', async (c) => {
  const db = c.get('database').db
  const username = c.req.param('username')
  const user = isPlausibleName(username) ? await findUserByUsername(db, username) : null
  if (!user) throw new NotFoundError('This user')
  const viewer = c.get('viewer')
  const page = await listTablePage(db, {
    ownerId: user.id,
    includePrivate: viewer?.id === user.id,
    page: parsePage(c.req.query('page')),
    perPage: TABLES_PER_PAGE,
  })
  const path = userUrl(user.username)
  if (wantsJson(c)) {
    const link = (n: number) => absoluteUrl(c, listPageUrl(path, n, { format: 'json' }))
    return c.json({
      username: user.username,
      name: user.name,
      avatar_url: user.avatar_url,
      tables: page.tables.map((table) => ({
        name: table.name,
        slug: table.slug,
        url: absoluteUrl(c, tableUrl(user.username, table.slug)),
        rows: table.rowCount,
        updated_at: table.updatedAt.toISOString(),
      })),
      total: page.total,
      page: page.page,
      page_count: page.pageCount,
      per_page: page.perPage,
      links: {
        self: link(page.page),
        first: link(1),
        last: link(page.pageCount),
        previous: page.page > 1 ? link(page.page - 1) : null,
        next: page.page < page.pageCount ? link(page.page + 1) : null,
      },
    })
  }
  return renderPage(c, 'profile', {
    title: user.name ?? user.username,
    profile: { username: user.username, name: user.name, avatarUrl: user.avatar_url },
    isOwner: viewer?.id === user.id,
    newTableUrl: `${path}/tables/new`,
    importUrl: `${path}/tables/import`,
    notice: c.req.query('deleted') ? `Deleted the table “${c.req.query('deleted')}”.` : null,
    tables: page.tables.map(tableCard),
    total: page.total,
    pagination: listPagination(path, page),
  })
})
