import { describe, expect, it } from 'vitest'
import { describeWait, describeWindow, parseRateRule } from './rate-rule.js'

describe('parseRateRule', () => {
  it.each([
    ['30/10m', { limit: 30, windowSeconds: 600 }],
    ['120/m', { limit: 120, windowSeconds: 60 }],
    ['5 / 1h', { limit: 5, windowSeconds: 3600 }],
    ['1/30S', { limit: 1, windowSeconds: 30 }],
    ['1000/1d', { limit: 1000, windowSeconds: 86400 }],
    ['off', null],
    [' OFF ', null],
  ])('reads %j', (text, rule) => {
    expect(parseRateRule(text)).toEqual(rule)
  })

  it.each(['', '30', '30/', '/10m', '0/1m', '30/0m', '30/10', '30/10x', '-1/1m', '1.5/1m', '1/8d'])(
    'refuses %j',
    (text) => {
      expect(parseRateRule(text)).toBe('invalid')
    },
  )

  it.each([
    [60, 'minute'],
    [600, '10 minutes'],
    [90, '90 seconds'],
    [1, 'second'],
    [3600, 'hour'],
    [7200, '2 hours'],
    [86400, 'day'],
  ])('calls a window of %i seconds “%s”', (seconds, text) => {
    expect(describeWindow(seconds)).toBe(text)
  })

  it.each([
    [0, '1 second'],
    [1, '1 second'],
    [45, '45 seconds'],
    [91, '2 minutes'],
    [3600, '60 minutes'],
    [5401, '2 hours'],
  ])('calls a wait of %i seconds “%s”', (seconds, text) => {
    expect(describeWait(seconds)).toBe(text)
  })
})
