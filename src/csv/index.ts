// Public API of the CSV tooling used by table import and export.

export { type CsvEncoding, type DecodedStream, decodeStream, detectEncoding } from './decode.js'
export { type CsvDelimiter, detectDelimiter } from './delimiter.js'
export { formatCsvField, formatCsvRow } from './format.js'
export {
  createTypeInferrer,
  type InferredType,
  suggestColumnNames,
  type TypeInferrer,
} from './infer.js'
export { type OpenCsvOptions, type OpenedCsv, openCsv } from './open.js'
export {
  type CsvRecord,
  CsvSyntaxError,
  type ParseOptions,
  parseCsv,
  parseCsvBatches,
  parseCsvText,
} from './parse.js'
