// Small enhancements only: every page works without this file.
document.addEventListener('keydown', (event) => {
  // "/" focuses the search box, as on GitHub.
  const search = document.getElementById('search')
  if (event.key === '/' && search && document.activeElement?.tagName !== 'INPUT') {
    event.preventDefault()
    search.focus()
  }
})

// Forms that destroy data ask once more (without JavaScript they simply submit).
document.addEventListener('submit', (event) => {
  const form = event.target
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined
  if (question && !window.confirm(question)) event.preventDefault()
})
