import { describe, expect, it } from 'vitest'
import { COLUMN_TYPES, type ColumnType } from './column-types.js'
import { filterKey, filterParams, MAX_FILTERS, operatorsFor, readFilters } from './filters.js'
import type { ColumnInfo } from './types.js'

const column = (id: number, name: string, slug: string, type: ColumnType): ColumnInfo => ({
  id,
  name,
  slug,
  type,
  position: id,
  required: false,
  unique: false,
  defaultValue: null,
  choices: type === 'choice' ? ['Labour', 'Green'] : null,
})

const COLUMNS = [
  column(1, 'Name', 'name', 'text'),
  column(2, 'Votes', 'votes', 'integer'),
  column(3, 'Share', 'share', 'decimal'),
  column(4, 'Day', 'day', 'date'),
  column(5, 'At', 'at', 'datetime'),
  column(6, 'Elected', 'elected', 'boolean'),
  column(7, 'Party', 'party', 'choice'),
  column(8, 'Data', 'data', 'json'),
  column(9, 'Email', 'email', 'email'),
]

const read = (query: Record<string, string>) => readFilters(COLUMNS, query)

describe('readFilters', () => {
  it.each([
    ['votes__gt', '30000', ['30000']],
    ['votes__exact', ' +42 ', ['42']],
    ['votes__in', '1,2,2,3', ['1', '2', '3']],
    ['votes__in', '[1, "2"]', ['1', '2']],
    ['name__in', '["a,b", "c"]', ['a,b', 'c']],
    ['name__exact', '  Ada ', ['Ada']],
    ['name__contains', '50%_off\\', ['%50\\%\\_off\\\\%']],
    ['name__startswith', 'Ad', ['Ad%']],
    ['name__endswith', 'da', ['%da']],
    ['share__lte', '1.5', ['1.5']],
    ['day__gte', '2017-06-08', ['2017-06-08']],
    ['day__year', '2017', ['2017-01-01', '2018-01-01']],
    ['day__year', '9999', ['9999-01-01', '10000-01-01']],
    ['day__month', '2017-12', ['2017-12-01', '2018-01-01']],
    ['day__month', '2017-06', ['2017-06-01', '2017-07-01']],
    ['at__year', '2017', ['2017-01-01T00:00:00Z', '2018-01-01T00:00:00Z']],
    ['at__lt', '2017-06-08 22:00', ['2017-06-08 22:00Z']],
    ['elected__exact', 'Yes', ['true']],
    ['party__exact', 'Labour', ['Labour']],
    ['data__isnull', 'anything', []],
    ['data__notnull', '', []],
  ])('reads %s=%s', (key, raw, values) => {
    const { filters, problems } = read({ [key]: raw })
    expect(problems).toEqual([])
    expect(filters.map((filter) => [filter.key, filter.values])).toEqual([[key, values]])
  })

  it.each([
    ['votes__gt', 'abc', 'Votes: “abc” must be a whole number.'],
    ['votes__gt', '99999999999999999999', 'Votes: “99999999999999999999” must be a whole number.'],
    ['votes__exact', '', 'Votes: give a value (or use “is empty”).'],
    ['votes__exact', '   ', 'Votes: give a value (or use “is empty”).'],
    ['votes__in', '1,,2', 'Votes: give a value (or use “is empty”).'],
    ['votes__in', '1,x', 'Votes: “x” must be a whole number.'],
    [
      'votes__in',
      '[1, {"a": 1}]',
      'Votes: “[1, {"a": 1}]” is not a list (use a,b,c or a JSON array).',
    ],
    ['votes__in', '[1, 2', 'Votes: “[1, 2” is not a list (use a,b,c or a JSON array).'],
    ['votes__in', '["a"', 'Votes: “["a"” is not a list (use a,b,c or a JSON array).'],
    ['votes__in', '{"a": 1}', 'Votes: “{"a": 1}” must be a whole number.'],
    [
      'votes__in',
      Array.from({ length: 101 }, (_, i) => i).join(','),
      'Votes: at most 100 values in a list.',
    ],
    [
      'votes__contains',
      '1',
      'Votes: cannot filter by “contains” (use exact, not, gt, gte, lt, lte, in, isnull, notnull).',
    ],
    [
      'votes__drop',
      '1',
      'Votes: cannot filter by “drop” (use exact, not, gt, gte, lt, lte, in, isnull, notnull).',
    ],
    [
      'votes__',
      '1',
      'Votes: cannot filter by “” (use exact, not, gt, gte, lt, lte, in, isnull, notnull).',
    ],
    ['share__gt', '1e5000', 'Share: “1e5000” must be a number.'],
    ['share__gt', 'NaN', 'Share: “NaN” must be a number.'],
    ['day__exact', '2017-02-30', 'Day: “2017-02-30” must be a date like 2017-06-08.'],
    [
      'day__exact',
      "2017-01-01' or 1=1 --",
      "Day: “2017-01-01' or 1=1 --” must be a date like 2017-06-08.",
    ],
    ['day__year', '17', 'Day: “17” is not a year like 2017.'],
    ['day__year', '0099', 'Day: “0099” is not a year like 2017.'],
    ['day__month', '2017-13', 'Day: “2017-13” is not a month like 2017-06.'],
    ['day__month', '2017-00', 'Day: “2017-00” is not a month like 2017-06.'],
    ['day__month', '6', 'Day: “6” is not a month like 2017-06.'],
    [
      'at__gt',
      '2017-06-08 25:00',
      'At: “2017-06-08 25:00” must be a date and time like 2017-06-08 22:00.',
    ],
    ['elected__exact', 'maybe', 'Elected: “maybe” must be yes or no.'],
    ['elected__gt', 'yes', 'Elected: cannot filter by “gt” (use exact, isnull, notnull).'],
    ['party__exact', 'Whig', 'Party: “Whig” must be one of the listed choices.'],
    ['data__exact', '{}', 'Data: cannot filter by “exact” (use isnull, notnull).'],
    ['email__exact', 'not an email', 'Email: “not an email” must be a valid email address.'],
    ['name__contains', '', 'Name: give some text to look for.'],
    ['name__contains', 'a\0b', 'Name: must not contain a NUL character.'],
    ['name__exact', 'a\0b', 'Name: “a\0b” must not contain a NUL character.'],
    [
      'name__startswith',
      '\ud800',
      'Name: must not contain invalid Unicode (an unpaired surrogate).',
    ],
    ['name__exact', 'x'.repeat(1001), 'Name: a value of at most 1,000 characters.'],
    ['nope__exact', '1', 'No column “nope” to filter on.'],
    ['c1__exact', '1', 'No column “c1” to filter on.'],
    [`${'z'.repeat(100)}__exact`, '1', `No column “${'z'.repeat(60)}…” to filter on.`],
    ['toString__exact', '1', 'No column “toString” to filter on.'],
    ['constructor__exact', '1', 'No column “constructor” to filter on.'],
  ])('leaves out %s=%j with a message', (key, raw, message) => {
    const { filters, problems } = read({ [key]: raw })
    expect(filters).toEqual([])
    expect(problems).toEqual([{ key: key.slice(0, 100), message }])
  })

  it('takes parameters without a double underscore, or starting with one, as not filters', () => {
    expect(
      read({
        search: 'x',
        order: '-votes',
        page: '2',
        _facet: 'party',
        _x__y: '1',
        __proto____exact: '1',
      }),
    ).toEqual({
      filters: [],
      problems: [],
    })
  })

  it('combines several filters, keeps the good ones and says what it left out', () => {
    const { filters, problems } = read({
      votes__gt: '10',
      votes__lt: 'ten',
      party__exact: 'Green',
    })
    expect(filters.map((filter) => filter.key)).toEqual(['votes__gt', 'party__exact'])
    expect(problems).toEqual([
      { key: 'votes__lt', message: 'Votes: “ten” must be a whole number.' },
    ])
  })

  it(`applies at most ${MAX_FILTERS} filters`, () => {
    const columns = Array.from({ length: MAX_FILTERS + 2 }, (_, i) =>
      column(100 + i, `N${i}`, `n${i}`, 'integer'),
    )
    const wide = readFilters(
      columns,
      Object.fromEntries(columns.map((col, i) => [`${col.slug}__gt`, String(i)])),
    )
    expect(wide.filters).toHaveLength(MAX_FILTERS)
    expect(wide.problems.map((problem) => problem.message)).toEqual([
      `At most ${MAX_FILTERS} filters: N20 gt was left out.`,
      `At most ${MAX_FILTERS} filters: N21 gt was left out.`,
    ])
  })

  it('carries the filters on into links, with no value for isnull and notnull', () => {
    const { filters } = read({ votes__gt: ' 5 ', data__isnull: 'x'.repeat(5000) })
    expect(filterParams(filters)).toEqual({ votes__gt: ' 5 ', data__isnull: '1' })
  })
})

describe('operatorsFor', () => {
  it('gives every type at least isnull, and only text-like types (and links, by display value) contains', () => {
    for (const type of COLUMN_TYPES) {
      expect(operatorsFor(type)).toContain('isnull')
      expect(operatorsFor(type).includes('contains')).toBe(
        ['text', 'long_text', 'choice', 'email', 'url', 'link'].includes(type),
      )
    }
  })
})

describe('filterKey', () => {
  it.each([
    ['votes__gt', { slug: 'votes', operator: 'gt' }],
    ['first_name__exact', { slug: 'first_name', operator: 'exact' }],
    ['a__b__c', { slug: 'a__b', operator: 'c' }],
    ['votes', null],
    ['_facet__x', null],
  ])('splits %s', (key, parts) => {
    expect(filterKey(key)).toEqual(parts)
  })
})
