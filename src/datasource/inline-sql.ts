// SQL with its values written in as literals, for the statements that take no parameters (COPY).
import { createQueryId, OperationNodeTransformer, type RawBuilder, ValueNode } from 'kysely'
import type { Db } from '../db/database.js'

class InlineValues extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const { value } = node
    // Strings are quoted with quotes doubled (standard_conforming_strings is on, as by default).
    if (typeof value === 'string' || value === null || Number.isSafeInteger(value)) {
      return ValueNode.createImmediate(value)
    }
    throw new TypeError(`A ${typeof value} cannot be written into SQL as a literal`)
  }
}

// The text of `query` with every value a literal: no value can end the literal it sits in.
export function inlineSql(db: Db, query: RawBuilder<unknown>): string {
  const node = new InlineValues().transformNode(query.toOperationNode())
  const compiled = db.getExecutor().compileQuery(node, createQueryId())
  if (compiled.parameters.length > 0) throw new Error('A value was left as a parameter')
  return compiled.sql
}
