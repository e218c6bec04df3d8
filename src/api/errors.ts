// Refusals only the API makes: a body of the wrong media type.
import { AppError } from '../application/errors.js'

export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', message)
  }
}
