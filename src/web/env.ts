// The types of what middleware puts on each request's context.
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { Renderer } from './render.js'

export interface Viewer {
  id: number
  username: string
  name: string | null
  avatarUrl: string | null
}

export interface AppEnv {
  Variables: {
    config: Config
    database: Database
    renderer: Renderer
    trustProxy: boolean
    viewer: Viewer | null
    csrfToken: string
    sessionId: string | null
    sessionKey: string | null
  }
}
