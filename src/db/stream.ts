// Turns a callback that holds one connection (a transaction) into an async generator of batches.
import type { Db } from './database.js'

class StreamCancelled extends Error {}

// `produce` runs inside a transaction and calls `emit` per batch; `emit` waits until the consumer
// has taken the batch, so at most one batch is in memory and the connection is held only meanwhile.
export async function* streamInTransaction<T>(
  db: Db,
  produce: (trx: Db, emit: (batch: T) => Promise<void>) => Promise<void>,
): AsyncGenerator<T> {
  let pending: T | null = null
  let finished = false
  let cancelled = false
  let failure: unknown = null
  let notify: (() => void) | null = null
  const signal = () => {
    const wake = notify
    notify = null
    wake?.()
  }
  const waitForSignal = () => new Promise<void>((resolve) => (notify = resolve))

  const producer = db
    .transaction()
    .execute(async (trx) => {
      await produce(trx, async (batch) => {
        if (cancelled) throw new StreamCancelled()
        pending = batch
        signal()
        while (pending !== null && !cancelled) await waitForSignal()
        if (cancelled) throw new StreamCancelled()
      })
    })
    .catch((error) => {
      if (!(error instanceof StreamCancelled)) failure = error
    })
    .finally(() => {
      finished = true
      signal()
    })

  try {
    while (true) {
      while (pending === null && !finished) await waitForSignal()
      if (pending !== null) {
        const batch: T = pending
        pending = null
        signal()
        yield batch
      } else {
        if (failure) throw failure
        return
      }
    }
  } finally {
    cancelled = true
    signal()
    await producer
  }
}
