// The app's addresses, built from usernames and slugs: pages and the API mirror each other.
type Params = Record<string, string | number | null | undefined>

export function withQuery(path: string, params: Params = {}): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') query.set(key, String(value))
  }
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

const segment = encodeURIComponent

export const userUrl = (username: string) => `/${segment(username)}`
export const tableUrl = (username: string, table: string, params?: Params) =>
  withQuery(`/${segment(username)}/tables/${segment(table)}`, params)
export const rowUrl = (username: string, table: string, rowId: number) =>
  `${tableUrl(username, table)}/${rowId}`

export const API_BASE = '/api/v1'
export const apiTablesUrl = (username: string) => `${API_BASE}/${segment(username)}/tables`
export const apiTableUrl = (username: string, table: string) =>
  `${apiTablesUrl(username)}/${segment(table)}`
export const apiRowsUrl = (username: string, table: string, params?: Params) =>
  withQuery(`${apiTableUrl(username, table)}/rows`, params)
export const apiRowUrl = (username: string, table: string, rowId: number) =>
  `${apiTableUrl(username, table)}/rows/${rowId}`

// A row's file cell (File and Image columns): the file, and `/thumbnail` for an image's thumbnail.
export const fileUrl = (username: string, table: string, rowId: number, column: string) =>
  `${rowUrl(username, table, rowId)}/files/${segment(column)}`
export const apiFileUrl = (username: string, table: string, rowId: number, column: string) =>
  `${apiRowUrl(username, table, rowId)}/files/${segment(column)}`
