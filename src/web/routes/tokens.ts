// Settings → API tokens: make one (shown once), see when each was used, revoke.
import { type Context, Hono } from 'hono'
import { AppError } from '../../application/errors.js'
import { createToken, type EXPIRY_DAYS, listTokens, revokeToken } from '../../application/tokens.js'
import { clearCookie, readCookie, writeCookie } from '../cookies.js'
import type { AppEnv } from '../env.js'
import { readForm } from '../forms.js'
import { requireViewer } from '../ownership.js'
import { renderPage } from '../render.js'

export const tokenRoutes = new Hono<AppEnv>()

// The new token rides a short-lived cookie through the redirect, so a reload never makes another.
const NEW_TOKEN_COOKIE = 'new-token'

const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })
const day = (date: Date | null, none: string) => (date ? dateFormat.format(date) : none)

const EXPIRY_LABELS: Record<keyof typeof EXPIRY_DAYS, string> = {
  '30': '30 days',
  '90': '90 days',
  '365': 'A year',
  never: 'Never',
}

const SCOPE_LABELS = {
  read: 'Read: private tables and their rows',
  write: 'Write: add, change and delete rows',
  schema: 'Schema: create, change and delete tables and columns',
}

type TokenForm = { name: string; scopes: string[]; tableIds: string[]; expiry: string }

async function renderTokens(
  c: Context<AppEnv>,
  form: TokenForm,
  errors: Record<string, string>,
  created: string | null,
  status: 200 | 400 | 409 = 200,
) {
  const { tokens, tables } = await listTokens(c.get('database').db, c.get('actor'))
  const names = new Map(tables.map((table) => [table.id, table.name]))
  const now = Date.now()
  return renderPage(
    c,
    'tokens',
    {
      title: 'API tokens',
      created,
      form,
      errors,
      scopeOptions: Object.entries(SCOPE_LABELS).map(([value, label]) => ({ value, label })),
      expiryOptions: Object.entries(EXPIRY_LABELS).map(([value, label]) => ({ value, label })),
      tableOptions: tables.map((table) => ({ value: String(table.id), label: table.name })),
      tokens: tokens.map((token) => ({
        id: token.id,
        name: token.name,
        scopes: token.scopes.join(', '),
        tables: token.tableIds
          ? token.tableIds.map((id) => names.get(id) ?? 'a deleted table').join(', ')
          : 'All tables',
        created: day(token.createdAt, ''),
        lastUsed: day(token.lastUsedAt, 'Never'),
        expires: day(token.expiresAt, 'Never'),
        expired: token.expiresAt !== null && token.expiresAt.getTime() <= now,
      })),
    },
    status,
  )
}

const blankForm: TokenForm = { name: '', scopes: ['read'], tableIds: [], expiry: '90' }

tokenRoutes.get('/', async (c) => {
  requireViewer(c)
  const created = readCookie(c, NEW_TOKEN_COOKIE) ?? null
  if (created) clearCookie(c, NEW_TOKEN_COOKIE)
  c.header('Cache-Control', 'no-store')
  return renderTokens(c, blankForm, {}, created)
})

tokenRoutes.post('/', async (c) => {
  requireViewer(c)
  const { fields, all } = await readForm(c)
  const form: TokenForm = {
    name: fields.name ?? '',
    scopes: all('scopes'),
    tableIds: all('tables'),
    expiry: fields.expiry ?? '',
  }
  try {
    const { token } = await createToken(c.get('database').db, c.get('actor'), {
      name: form.name,
      scopes: form.scopes as never,
      tableIds: form.tableIds.filter((id) => /^\d{1,9}$/.test(id)).map(Number),
      expiry: form.expiry as never,
    })
    writeCookie(c, NEW_TOKEN_COOKIE, token, 120)
    return c.redirect('/settings/tokens', 303)
  } catch (error) {
    if (!(error instanceof AppError) || !['invalid', 'conflict'].includes(error.kind)) throw error
    return renderTokens(c, form, error.errors, null, error.kind === 'invalid' ? 400 : 409)
  }
})

tokenRoutes.post('/:id{[0-9]{1,9}}/revoke', async (c) => {
  requireViewer(c)
  await revokeToken(c.get('database').db, c.get('actor'), Number(c.req.param('id')))
  return c.redirect('/settings/tokens', 303)
})
