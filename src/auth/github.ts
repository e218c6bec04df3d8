// GitHub OAuth: the only module that imports arctic, so it can later be swapped for plain fetch.
import {
  ArcticFetchError,
  OAuth2Client,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from 'arctic'

export interface GithubEndpoints {
  // https://github.com for the real thing, {origin}/mock-github for the mock.
  web: string
  // https://api.github.com, or {origin}/mock-github/api.
  api: string
}

export const REAL_GITHUB: GithubEndpoints = {
  web: 'https://github.com',
  api: 'https://api.github.com',
}

export interface GithubUser {
  id: number
  login: string
  name: string | null
  avatarUrl: string | null
}

// Anything that should make the user start again: denied, expired, forged or GitHub trouble.
export class SignInError extends Error {}

export interface GithubClient {
  authorizationUrl(state: string): URL
  fetchUser(code: string): Promise<GithubUser>
}

export function createGithubClient(
  endpoints: GithubEndpoints,
  credentials: { clientId: string; clientSecret: string },
  redirectUri: string,
): GithubClient {
  const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, redirectUri)
  return {
    authorizationUrl: (state) =>
      client.createAuthorizationURL(`${endpoints.web}/login/oauth/authorize`, state, ['read:user']),

    async fetchUser(code) {
      let accessToken: string
      try {
        const tokens = await client.validateAuthorizationCode(
          `${endpoints.web}/login/oauth/access_token`,
          code,
          null,
        )
        // GitHub answers a bad or expired code with 200 and an `error` field.
        if ('error' in tokens.data)
          throw new SignInError(`GitHub refused the code: ${String(tokens.data.error)}`)
        accessToken = tokens.accessToken()
      } catch (error) {
        if (error instanceof SignInError) throw error
        if (
          error instanceof OAuth2RequestError ||
          error instanceof ArcticFetchError ||
          error instanceof UnexpectedResponseError ||
          error instanceof UnexpectedErrorResponseBodyError
        ) {
          throw new SignInError(`GitHub token request failed: ${error.message}`)
        }
        throw new SignInError(`GitHub sent an unusable token: ${(error as Error).message}`)
      }
      let response: Response
      try {
        response = await fetch(`${endpoints.api}/user`, {
          headers: {
            Authorization: `Bearer ${accessToken}`,
            Accept: 'application/vnd.github+json',
            'User-Agent': 'HostedAPI',
          },
        })
      } catch (error) {
        throw new SignInError(`GitHub user request failed: ${(error as Error).message}`)
      }
      if (!response.ok) throw new SignInError(`GitHub user request answered ${response.status}`)
      const data = (await response.json().catch(() => null)) as Record<string, unknown> | null
      if (typeof data?.id !== 'number' || typeof data.login !== 'string') {
        throw new SignInError('GitHub sent a user without an id or login')
      }
      return {
        id: data.id,
        login: data.login,
        name: typeof data.name === 'string' && data.name ? data.name : null,
        avatarUrl: typeof data.avatar_url === 'string' ? data.avatar_url : null,
      }
    },
  }
}
