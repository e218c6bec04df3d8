// The filter bar, quicker: only the operators the chosen column takes, no value box for "is empty",
// and straight to the filtered address (without this file the server redirects there).
for (const form of document.querySelectorAll('form[data-filter-form]')) {
  const column = form.querySelector('[name="_filter_column"]')
  const operator = form.querySelector('[name="_filter_op"]')
  const value = form.querySelector('[name="_filter_value"]')
  const noValue = () => operator.value === 'isnull' || operator.value === 'notnull'

  const showOperators = () => {
    const allowed = (column.selectedOptions[0]?.dataset.operators ?? '').split(' ')
    for (const option of operator.options) {
      option.hidden = !allowed.includes(option.value)
      option.disabled = option.hidden
    }
    if (operator.selectedOptions[0]?.disabled) operator.value = allowed[0] ?? 'exact'
    value.hidden = noValue()
  }
  column.addEventListener('change', showOperators)
  operator.addEventListener('change', showOperators)
  showOperators()

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const params = new URLSearchParams()
    for (const input of form.querySelectorAll('input[type="hidden"]')) {
      params.append(input.name, input.value)
    }
    params.set(`${column.value}__${operator.value}`, noValue() ? '1' : value.value)
    window.location.assign(`${form.action.split('?')[0]}?${params}`)
  })
}
