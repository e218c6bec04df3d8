import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './unavailable.js'

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code })

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an unknown host', withCode('ENOTFOUND')],
    [
      'a terminated backend (57P01)',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection exception (08006)', withCode('08006')],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    ['a pool that waited too long', new Error('timeout exceeded when trying to connect')],
    [
      'a client that lost its connection',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['both addresses of localhost refused', new AggregateError([withCode('ECONNREFUSED')])],
    ['an error caused by one of these', new Error('query failed', { cause: withCode('57P01') })],
  ])('is true for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true)
  })

  it.each([
    ['a unique violation', withCode('23505')],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    [
      'a closed pool (a bug: used after shutdown)',
      new Error('Cannot use a pool after calling end on the pool'),
    ],
    ['a string', 'ECONNREFUSED'],
    ['a client that hung up mid-request', withCode('ECONNRESET', 'aborted')],
    [
      'a fetch to another service that failed',
      new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') }),
    ],
    ['nothing', undefined],
    ['an empty aggregate', new AggregateError([])],
  ])('is false for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false)
  })

  it('stops following a cycle of causes', () => {
    const error = new Error('a')
    error.cause = error
    expect(isDatabaseUnavailable(error)).toBe(false)
  })
})
