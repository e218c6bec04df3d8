// A worker process for the supervisor's tests, behaving as WORKER_BEHAVIOUR says; the real
// worker's behaviour is tested in src/server/process.test.ts.
const behaviour = process.env.WORKER_BEHAVIOUR
const exitSoon = (code) => setTimeout(() => process.exit(code), 50)
// Tells the test that the signal handler is in place.
const stayAlive = () => {
  setInterval(() => {}, 1000)
  process.send?.('ready')
}

if (behaviour === 'crash') exitSoon(3)
else if (behaviour === 'finish') exitSoon(0)
else if (behaviour === 'ignore-sigterm') {
  process.on('SIGTERM', () => {})
  stayAlive()
} else {
  process.on('SIGTERM', () => setTimeout(() => process.exit(0), 100))
  stayAlive()
}
