import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../db/database.js'
import { createTestDatabase } from '../test/database.js'
import {
  checkableInSql,
  convertedSql,
  JS_WHITESPACE,
  jsPattern,
  refusedSql,
  sourceOf,
} from './column-rules.js'
import {
  COLUMN_TYPES,
  type ColumnType,
  definitionOf,
  EMAIL_PATTERN,
  parseValue,
  selectAsText,
  URL_PATTERN,
} from './column-types.js'

let database: Database
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.close())

const CHOICES = ['Labour', 'Green', 'yes']
// Texts chosen to sit on either side of each of parseValue's rules.
const SAMPLES = [
  ...['', '   ', '\u00a0', '\t\n', ' 42 ', '42', '+42', '-0', '007', '1 2', '٤٢'],
  ...['9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809'],
  ...[
    '12345678901234567890',
    '1.5',
    '1.',
    '.5',
    '5.e3',
    '1e5',
    '-1E-3',
    '1e1234',
    '1'.repeat(1000),
    '1'.repeat(1001),
    `${'1'.repeat(999)}.5`,
    `-.${'0'.repeat(1000)}e-5`,
    '.',
    '1e',
    'NaN',
  ],
  ...['abc', 'yes', 'NO', ' Y ', 'on', 'OFF', 't', 'F', '2', 'true', 'truee'],
  ...['2017-06-08', ' 2017-06-08 ', '2017-02-29', '2016-02-29', '1900-02-29', '2000-02-29'],
  ...[
    '0099-12-31',
    '0100-01-01',
    '2017-13-01',
    '2017-00-10',
    '2017-04-31',
    '2017-04-30',
    '17-04-30',
  ],
  ...['2017-06-08 22:00', '2017-06-08T22:00:59', '2017-06-08t22:00z', '2017-06-08 22:00:60'],
  ...['2017-06-08 24:00', '2017-06-08 23:60', '2017-06-08 22:00:59.123456', '2017-06-08 22:00Z'],
  ...['2017-06-08 22:00:59.1234567', '2017-06-08 22:00+05:30', '2017-06-08 22:00-0800'],
  ...['2017-06-08 22:00+15:59', '2017-06-08 22:00+1', '2017-02-30 10:00', '2017-06-08  22:00'],
  ...['a@b.co', ' a@b.co ', 'a b@c.de', 'a\u00a0b@c.de', 'a@b', '@b.co', 'a@@b.co', 'a@b.co\n'],
  ...['http://x.org', 'https://x.org/p?q=1', 'ftp://x.org', 'http://', 'http:// x', 'http://.x'],
  ...['HTTP://x.org', 'https://x.org/a b', 'Labour', ' Labour ', 'labour', 'Green\u3000'],
  ...[' keep  inner  spaces ', '\ufeffbom', 'x\u2028y', 'émoji 😀'],
]

// Postgres refuses time zone offsets beyond ±15:59, which parseValue lets through.
const REFUSED_BY_POSTGRES = new Set(['2017-06-08 22:00+16:00', '2017-06-08 22:00+10:60'])

async function evaluate(
  type: ColumnType,
  texts: string[],
  choices: string[] | null = CHOICES,
  // Long text is the one type stored untrimmed, so it is the one that tests trimming.
  from: ColumnType = 'long_text',
) {
  const values = sql.join(texts.map((text, index) => sql`(${index}::int, ${text}::text)`))
  const source = sourceOf(from, sql.ref('raw'))
  const { rows } = await sql<{ i: number; refused: boolean; value: string | null }>`
    select i, ${refusedSql(type, source, choices)} as refused,
      case when ${refusedSql(type, source, choices)} then null
        else ${selectAsText(type, convertedSql(type, source))} end as value
    from (values ${values}) as v (i, raw) order by i
  `.execute(database.db)
  return rows
}

// How Postgres shows the value parseValue produced, to compare with the converted value.
async function expected(type: ColumnType, value: string | null): Promise<string | null> {
  if (value === null) return null
  const cast = sql`${value}::text::${sql.raw(definitionOf(type).postgres)}`
  const { rows } = await sql<{ v: string }>`select ${selectAsText(type, cast)} as v`.execute(
    database.db,
  )
  return rows[0]?.v ?? null
}

describe('refusedSql and convertedSql', () => {
  const types = COLUMN_TYPES.filter(checkableInSql)
  it.each(types)('agree with parseValue for %s', async (type) => {
    const texts = [...SAMPLES, ...(type === 'datetime' ? REFUSED_BY_POSTGRES : [])]
    const rows = await evaluate(type, texts)
    for (const [index, text] of texts.entries()) {
      const parsed = parseValue(type, text, CHOICES)
      const row = rows[index]
      const accepted = parsed.ok && !REFUSED_BY_POSTGRES.has(text)
      expect({ text, refused: row?.refused }).toEqual({ text, refused: !accepted })
      if (parsed.ok && accepted) {
        expect({ text, value: row?.value }).toEqual({
          text,
          value: await expected(type, parsed.value),
        })
      }
    }
  })

  it('refuses words that only Object.prototype knows as yes or no', async () => {
    const rows = await evaluate('boolean', ['constructor', 'toString', '__proto__'])
    expect(rows.map((row) => row.refused)).toEqual([true, true, true])
  })

  it('refuses every value for a choice column without choices', async () => {
    const rows = await evaluate('choice', ['Labour', ''], null)
    expect(rows.map((row) => row.refused)).toEqual([true, false])
  })

  it('trims only long text, the one type parseValue stores untrimmed', async () => {
    const fromText = await evaluate('integer', [' 42 ', '42'], null, 'text')
    expect(fromText.map((row) => row.refused)).toEqual([true, false])
  })

  it('measures text length in UTF-16 units, as JavaScript does', async () => {
    // Made in the database: sending megabytes of parameters would make the test slow.
    const texts = [
      sql`repeat('x', 1000000)`,
      sql`repeat('x', 1000001)`,
      sql`repeat('é', 600000)`,
      sql`repeat('😀', 500000)`,
      sql`repeat('😀', 500000) || 'x'`,
    ]
    const source = sourceOf('long_text', sql.ref('raw'))
    const { rows } = await sql<{ refused: boolean }>`
      select ${refusedSql('long_text', source, null)} as refused
      from (values ${sql.join(texts.map((text, i) => sql`(${sql.lit(i)}, ${text})`))}) as v (i, raw)
      order by i
    `.execute(database.db)
    expect(rows.map((row) => row.refused)).toEqual([false, true, false, false, true])
  })

  it('keeps Text within 500 units, so its sort index entries fit', async () => {
    const texts = [
      sql`repeat('x', 500)`,
      sql`repeat('x', 501)`,
      sql`repeat('😀', 250)`,
      sql`repeat('😀', 250) || 'x'`,
    ]
    const source = sourceOf('text', sql.ref('raw'))
    const { rows } = await sql<{ refused: boolean }>`
      select ${refusedSql('text', source, null)} as refused
      from (values ${sql.join(texts.map((text, i) => sql`(${sql.lit(i)}, ${text})`))}) as v (i, raw)
      order by i
    `.execute(database.db)
    expect(rows.map((row) => row.refused)).toEqual([false, true, false, true])
  })

  it('converts JSON text to jsonb', async () => {
    const source = sourceOf('long_text', sql`${' {"a": [1, "x"]} '}::text`)
    const { rows } = await sql<{ v: string }>`
      select ${selectAsText('json', convertedSql('json', source))} as v
    `.execute(database.db)
    expect(rows[0]?.v).toBe('{"a": [1, "x"]}')
  })
})

describe('refusedSql', () => {
  it('is not for types that only parseValue can check', () => {
    expect(checkableInSql('json')).toBe(false)
    expect(() => refusedSql('json', sourceOf('text', sql`'1'`), null)).toThrow('parseValue')
  })
})

describe('jsPattern', () => {
  it('reads \\s as JavaScript does, inside the bracket expressions the patterns use', () => {
    for (const pattern of [EMAIL_PATTERN, URL_PATTERN]) {
      expect(pattern.match(/\\s/g)?.length).toBeGreaterThan(0)
      expect(pattern.replace(/\[[^\]]*\]/g, '')).not.toContain('\\s')
      expect(jsPattern(pattern)).toContain(JS_WHITESPACE)
    }
  })

  it('lists exactly the characters String.prototype.trim removes', () => {
    const trimmed = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).filter(
      (char) => char.trim() === '',
    )
    expect([...JS_WHITESPACE].sort()).toEqual(trimmed.sort())
  })
})
