import { describe, expect, it } from 'vitest'
import { columnRef, objectName, physicalColumnName, physicalTableName, tableRef } from './names.js'

describe('physical names', () => {
  it('are made from catalog ids only', () => {
    expect(physicalTableName(12)).toBe('t12')
    expect(physicalColumnName(7)).toBe('c7')
    expect(objectName('key', 12, 7)).toBe('t12_c7_key')
  })

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])('refuse %s as an id', (id) => {
    expect(() => tableRef(id)).toThrow(`Invalid catalog id: ${id}`)
    expect(() => columnRef(id)).toThrow(`Invalid catalog id: ${id}`)
  })
})
