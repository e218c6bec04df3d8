// The types of what middleware puts on each request's context.
import type { Actor } from '../application/actor.js'
import type { Config } from '../config.js'
import type { Database } from '../db/database.js'
import type { Storage } from '../storage/index.js'
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
    // Where uploaded files are kept.
    storage: Storage
    renderer: Renderer
    trustProxy: boolean
    viewer: Viewer | null
    // Who is asking, for the application layer: a session, an API token, or nobody.
    actor: Actor
    csrfToken: string
    sessionId: string | null
    sessionKey: string | null
  }
}
