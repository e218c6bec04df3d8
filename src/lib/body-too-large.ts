// The error a request body's reader meets when the body grows past its route's limit; its message
// is for the person who sent it.
export class BodyTooLargeError extends Error {
  constructor(
    readonly limit: number,
    message: string,
  ) {
    super(message)
  }
}
