// The filter parameters in the OpenAPI document: `slug__operator=value`, any number, as one
// exploded object parameter (OpenAPI's way to say "these keys, whatever they are called").
import { COLUMN_TYPE_LABELS, COLUMN_TYPES } from '../datasource/column-types.js'
import {
  FILTER_OPERATORS,
  MAX_FILTERS,
  MAX_IN_VALUES,
  operatorsFor,
} from '../datasource/filters.js'

const byType = COLUMN_TYPES.map(
  (type) => `- ${COLUMN_TYPE_LABELS[type]}: ${operatorsFor(type).join(', ')}`,
).join('\n')

export const FILTER_HELP = `**Filters**: \`?votes__gt=30000&party__exact=Labour\`, one per column and operator, all of
them must hold (at most ${MAX_FILTERS}). A value is read as its column reads input (\`yes\` for a yes/no
column, \`2017-06-08\` for a date); \`in\` takes a comma list or a JSON array (at most ${MAX_IN_VALUES});
\`contains\`, \`startswith\` and \`endswith\` ignore case; \`year\` takes \`2017\` and \`month\` \`2017-06\`;
\`isnull\` and \`notnull\` ignore their value; \`not\` keeps rows with no value. On a link column
\`exact\` takes the linked row's id, \`display\` its display value exactly, and \`contains\` and
\`startswith\` its display value ignoring case. A bad filter is a 400
whose \`errors\` name the parameter. The operators of each column type:

${byType}`

export const FILTER_PARAMETER = {
  name: 'filters',
  in: 'query',
  required: false,
  style: 'form',
  explode: true,
  description:
    'Filters as `slug__operator=value` parameters (see above); `filters[slug__operator]=value` ' +
    'is read the same.',
  schema: {
    type: 'object',
    propertyNames: { pattern: `^[a-z0-9_]+__(${FILTER_OPERATORS.join('|')})$` },
    additionalProperties: { type: 'string' },
  },
}
