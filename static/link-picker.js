// Link fields of the row form, quicker: search the linked table by display value as you type and
// pick a row, which fills in its id (without this file the field takes the id itself).
for (const idField of document.querySelectorAll('input[data-link-search]')) {
  const url = idField.dataset.linkSearch
  const search = document.createElement('input')
  search.type = 'search'
  search.className = 'input link-picker__search'
  search.placeholder = 'Find a row by its value…'
  search.setAttribute(
    'aria-label',
    `Find a row for ${idField.labels?.[0]?.textContent ?? 'the link'}`,
  )
  search.autocomplete = 'off'
  const list = document.createElement('ul')
  list.className = 'link-picker__results'
  list.setAttribute('role', 'list')
  idField.after(search, list)

  let asked = 0
  let timer = null
  const show = (rows) => {
    list.replaceChildren()
    for (const row of rows) {
      const item = document.createElement('li')
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'button button--quiet'
      button.textContent = `${row.display ?? ''} (#${row.id})`.trim()
      button.addEventListener('click', () => {
        idField.value = String(row.id)
        search.value = row.display ?? ''
        list.replaceChildren()
      })
      item.append(button)
      list.append(item)
    }
  }
  const find = async () => {
    const mine = ++asked
    const q = search.value.trim()
    if (q === '') return show([])
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(q)}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      })
      if (!response.ok || mine !== asked) return
      const body = await response.json()
      if (mine === asked) show(body.rows ?? [])
    } catch {
      // Offline or refused: the id field still works.
    }
  }
  search.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(find, 150)
  })
  search.addEventListener('keydown', (event) => {
    // Enter picks the first match instead of sending the form.
    if (event.key !== 'Enter') return
    event.preventDefault()
    list.querySelector('button')?.click()
  })
}
