// The error a request body's reader meets when the body grows past its route's limit.
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes`)
  }
}
